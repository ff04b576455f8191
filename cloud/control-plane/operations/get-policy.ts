// aws-iot §3.4 GetPolicy — GET /policies/{policyName}.
import { label, type Operation } from "../operation.ts";

export const getPolicy: Operation = (r) => {
  const p = r.account.getPolicy(label(r, "policyName"));
  return {
    policyName: p.policyName,
    policyArn: p.policyArn,
    policyDocument: p.policyDocument,
    defaultVersionId: p.defaultVersionId,
    creationDate: p.creationDate,
    lastModifiedDate: p.lastModifiedDate,
    generationId: p.generationId,
  };
};
