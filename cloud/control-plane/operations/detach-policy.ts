// aws-iot §3.4 DetachPolicy — POST /target-policies/{policyName} {target} (same path as AttachPolicy, another method).
import { label, requiredBodyString, type Operation } from "../operation.ts";

export const detachPolicy: Operation = (r) => {
  r.account.detachPolicy(label(r, "policyName"), requiredBodyString(r, "target"));
  return undefined;
};
