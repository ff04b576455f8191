// aws-iot §3.4 CreatePolicy — POST /policies/{policyName} {policyDocument, tags?}.
import { label, requiredBodyString, tagList, type Operation } from "../operation.ts";

export const createPolicy: Operation = (r) => {
  const p = r.account.createPolicy(
    label(r, "policyName"),
    requiredBodyString(r, "policyDocument"),
    tagList(r, "tags"),
  );
  return {
    policyName: p.policyName,
    policyArn: p.policyArn,
    policyDocument: p.policyDocument,
    policyVersionId: p.defaultVersionId,
  };
};
