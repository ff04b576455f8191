// aws-iot §3.1 RegisterCertificateWithoutCA — POST /certificate/register-no-ca {certificatePem, status?}.
import { bodyString, requiredBodyString, type Operation } from "../operation.ts";

export const registerCertificateWithoutCa: Operation = (r) => {
  const c = r.account.registerCertificateWithoutCa(
    requiredBodyString(r, "certificatePem"),
    bodyString(r, "status"),
  );
  return { certificateArn: c.certificateArn, certificateId: c.certificateId };
};
