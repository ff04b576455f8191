// aws-iot §3.5 TagResource — POST /tags {resourceArn, tags}.
import { invalidRequest } from "../../registry/iot-exception.ts";
import { requiredBodyString, tagList, type Operation } from "../operation.ts";

export const tagResource: Operation = (r) => {
  const tags = tagList(r, "tags");
  if (!tags)
    throw invalidRequest(
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
    );
  r.account.tagResource(requiredBodyString(r, "resourceArn"), tags);
  return undefined;
};
