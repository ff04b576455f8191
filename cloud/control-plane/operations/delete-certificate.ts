// aws-iot §3.1 DeleteCertificate — DELETE /certificates/{certificateId}?forceDelete, no output.
import { label, queryBool, type Operation } from "../operation.ts";

export const deleteCertificate: Operation = (r) => {
  r.account.deleteCertificate(label(r, "certificateId"), queryBool(r, "forceDelete") ?? false);
  return undefined;
};
