// aws-iot §3.5 ListTagsForResource — GET /tags?resourceArn&nextToken.
import { invalidRequest } from "../../registry/iot-exception.ts";
import { compact, queryString, type Operation } from "../operation.ts";

export const listTagsForResource: Operation = (r) => {
  const resourceArn = queryString(r, "resourceArn");
  if (resourceArn === undefined) {
    throw invalidRequest(
      "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null",
    );
  }
  const page = r.account.listTagsForResource(resourceArn, queryString(r, "nextToken"));
  return compact({ tags: page.items, nextToken: page.next });
};
