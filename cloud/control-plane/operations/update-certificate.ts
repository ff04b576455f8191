// aws-iot §1.4, §3.1 UpdateCertificate — PUT /certificates/{certificateId}?newStatus=…, no output.
import { label, queryString, type Operation } from "../operation.ts";
import { invalidRequest } from "../../registry/iot-exception.ts";

export const updateCertificate: Operation = (r) => {
  const newStatus = queryString(r, "newStatus");
  if (newStatus === undefined) {
    throw invalidRequest(
      "1 validation error detected: Value null at 'newStatus' failed to satisfy constraint: Member must not be null",
    );
  }
  r.account.updateCertificate(label(r, "certificateId"), newStatus);
  return undefined;
};
