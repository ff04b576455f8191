// aws-iot §3.1 DescribeCertificate — GET /certificates/{certificateId}.
import { label, type Operation } from "../operation.ts";

export const describeCertificate: Operation = (r) => {
  const c = r.account.describeCertificate(label(r, "certificateId"));
  return {
    certificateDescription: {
      certificateArn: c.certificateArn,
      certificateId: c.certificateId,
      status: c.status,
      certificatePem: c.certificatePem,
      ownedBy: c.accountId,
      creationDate: c.creationDate,
      lastModifiedDate: c.lastModifiedDate,
      customerVersion: c.customerVersion,
      generationId: c.generationId,
      transferData: {},
      validity: { notBefore: c.notBefore, notAfter: c.notAfter },
      certificateMode: c.certificateMode,
      // caCertificateId is omitted for MAR certificates, not null (aws-iot §7.9)
    },
  };
};
