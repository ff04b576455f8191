// aws-iot §3.4 AttachPolicy — PUT /target-policies/{policyName} {target}.
import { label, requiredBodyString, type Operation } from "../operation.ts";

export const attachPolicy: Operation = (r) => {
  r.account.attachPolicy(label(r, "policyName"), requiredBodyString(r, "target"));
  return undefined;
};
