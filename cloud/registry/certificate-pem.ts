// What the registry needs from a PEM certificate: its DER, certificateId and validity (aws-iot §1.3, §3.1).
import { createHash, X509Certificate } from "node:crypto";
import { certificateSignatureAlgorithm } from "../../crypto/der-reader.ts";
import { IotException } from "./iot-exception.ts";

/** Signature algorithms AWS IoT accepts for registered certificates [DG-x509] (aws-iot §3.1). */
const SUPPORTED_SIGNATURES: Record<string, string> = {
  "1.2.840.113549.1.1.11": "SHA256WITHRSA",
  "1.2.840.113549.1.1.12": "SHA384WITHRSA",
  "1.2.840.113549.1.1.13": "SHA512WITHRSA",
  "2.16.840.1.101.3.4.3.2": "DSA_WITH_SHA256",
  "1.2.840.10045.4.3.2": "ECDSA-WITH-SHA256",
  "1.2.840.10045.4.3.3": "ECDSA-WITH-SHA384",
  "1.2.840.10045.4.3.4": "ECDSA-WITH-SHA512",
};

export interface ParsedCertificate {
  der: Buffer;
  /** Lower-case hex SHA-256 of the DER (aws-iot §1.3). */
  certificateId: string;
  /** Epoch seconds. */
  notBefore: number;
  notAfter: number;
}

export function certificateIdOf(der: Buffer): string {
  return createHash("sha256").update(der).digest("hex");
}

const invalid = (why: string) =>
  new IotException("CertificateValidationException", `Certificate is not valid: ${why}`);

export function parseCertificatePem(pem: string): ParsedCertificate {
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem)) {
    throw invalid("expected a PEM CERTIFICATE block");
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw invalid("the PEM block does not hold a readable X.509 certificate");
  }
  const der = cert.raw;
  let algorithm: string;
  try {
    algorithm = certificateSignatureAlgorithm(der);
  } catch {
    throw invalid("unreadable signature algorithm");
  }
  // INFERRED (aws-iot §3.1): an unsupported signing algorithm is a CertificateValidationException.
  if (!Object.hasOwn(SUPPORTED_SIGNATURES, algorithm))
    throw invalid(`unsupported signature algorithm ${algorithm}`);
  return {
    der,
    certificateId: certificateIdOf(der),
    notBefore: Date.parse(cert.validFrom) / 1000,
    notAfter: Date.parse(cert.validTo) / 1000,
  };
}
