// A certificate and key of the harness's own, for an mTLS observer (aws-iot §8 option B): real
// ECDSA P-256 X.509 from crypto/, self-signed, registered without its CA like a MAR device.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { ecdsaSigner, issueCertificate, type DistinguishedName } from "../../crypto/x509-certificate.ts";

export interface KeyAndCertificate {
  commonName: string;
  certificatePem: string;
  /** PKCS#8 PEM; stays in memory, never written to reports or logs. */
  keyPem: string;
}

const DAY_MS = 86_400_000;

export function selfSignedIdentity(commonName: string, now: () => number = Date.now): KeyAndCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name: DistinguishedName = [
    ["O", "mar-hil"],
    ["CN", commonName],
  ];
  const der = issueCertificate({
    serial: randomBytes(9),
    issuer: name,
    subject: name,
    // A day of slack either side: clock skew between the harness and the broker.
    notBefore: new Date(now() - DAY_MS),
    notAfter: new Date(now() + 30 * DAY_MS),
    publicKey,
    signer: ecdsaSigner(privateKey),
    leaf: { extendedKeyUsage: ["clientAuth"] },
  });
  const body = der.toString("base64").replace(/.{1,64}/g, "$&\n");
  return {
    commonName,
    certificatePem: `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  };
}
