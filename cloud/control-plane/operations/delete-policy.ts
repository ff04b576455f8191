// aws-iot §3.4 DeletePolicy — DELETE /policies/{policyName}, no output.
import { label, type Operation } from "../operation.ts";

export const deletePolicy: Operation = (r) => {
  r.account.deletePolicy(label(r, "policyName"));
  return undefined;
};
