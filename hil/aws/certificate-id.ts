// certificateId is the lower-case hex SHA-256 of the DER (aws-iot §1.3): computed locally so a 409
// can be matched to the very certificate the board holds.
import { createHash } from "node:crypto";
import { AwsError } from "./errors.ts";

const PEM = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

export function certificateDer(pem: string): Buffer {
  const body = PEM.exec(pem)?.[1];
  const der = body === undefined ? Buffer.alloc(0) : Buffer.from(body.replace(/\s/g, ""), "base64");
  // A DER certificate is a SEQUENCE (0x30); anything else is not what the board should have exported.
  if (der.length < 16 || der[0] !== 0x30) {
    throw new AwsError("CERT_INVALID", "the device certificate is not a PEM-encoded X.509 certificate");
  }
  return der;
}

export function certificateIdOf(pem: string): string {
  return createHash("sha256").update(certificateDer(pem)).digest("hex");
}
