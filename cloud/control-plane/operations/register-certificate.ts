// aws-iot §1.3, §3.1 RegisterCertificate — POST /certificate/register[?setAsActive] {certificatePem, caCertificatePem?, status?}.
import { bodyString, queryBool, requiredBodyString, type Operation } from "../operation.ts";

export const registerCertificate: Operation = (r) => {
  queryBool(r, "setAsActive"); // deprecated in favour of `status`; read only to reject a malformed value
  bodyString(r, "status");
  return r.account.registerCertificate(
    requiredBodyString(r, "certificatePem"),
    bodyString(r, "caCertificatePem"),
  );
};
