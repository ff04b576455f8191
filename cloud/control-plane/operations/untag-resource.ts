// aws-iot §3.5 UntagResource — POST /untag {resourceArn, tagKeys}.
import { invalidRequest } from "../../registry/iot-exception.ts";
import { bodyArray, requiredBodyString, type Operation } from "../operation.ts";

export const untagResource: Operation = (r) => {
  const keys = bodyArray(r, "tagKeys");
  if (!keys || !keys.every((k): k is string => typeof k === "string")) {
    throw invalidRequest(
      "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must be a list of strings",
    );
  }
  r.account.untagResource(requiredBodyString(r, "resourceArn"), keys);
  return undefined;
};
