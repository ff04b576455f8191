// Test fixture: a root CA issuing endpoint server certificates, and self-signed MAR device
// identities, all real ECDSA P-256 X.509 made with the repo's builder.
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { ecdsaSigner, issueCertificate, type DistinguishedName } from "../../../crypto/x509-certificate.ts";
import type { ServerCredentials } from "../tls-listener.ts";

const toPem = (der: Buffer): string =>
  `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
const keyPem = (key: KeyObject): string => key.export({ format: "pem", type: "pkcs8" }).toString();

const NOT_BEFORE = new Date("2024-01-01T00:00:00Z");
const NOT_AFTER = new Date("2044-01-01T00:00:00Z");
const ROOT: DistinguishedName = [["CN", "mar-hil test root CA"]];

export interface DeviceIdentity {
  keyPem: string;
  certificatePem: string;
  der: Buffer;
  /** Lower-case hex SHA-256 of the DER (aws-iot §1.3). */
  certificateId: string;
}

export class TestPki {
  readonly caPem: string;
  private readonly caKey: KeyObject;
  private readonly issued = new Map<string, ServerCredentials>();

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.caKey = privateKey;
    this.caPem = toPem(
      issueCertificate({
        serial: randomBytes(8),
        issuer: ROOT,
        subject: ROOT,
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
        publicKey,
        signer: ecdsaSigner(privateKey),
        isCa: true,
      }),
    );
  }

  /** A server certificate for `hostname` (subjectAltName), issued by the root. */
  readonly serverCredentials = (hostname: string): ServerCredentials => {
    let credentials = this.issued.get(hostname);
    if (!credentials) {
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const der = issueCertificate({
        serial: randomBytes(8),
        issuer: ROOT,
        subject: [["CN", hostname]],
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
        publicKey,
        signer: ecdsaSigner(this.caKey),
        leaf: { dnsNames: [hostname], extendedKeyUsage: ["serverAuth"] },
      });
      credentials = { key: keyPem(privateKey), cert: toPem(der) };
      this.issued.set(hostname, credentials);
    }
    return credentials;
  };
}

/** A self-signed device certificate, as MAR registers without its CA (aws-iot §1.1). */
export function deviceIdentity(commonName: string): DeviceIdentity {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name: DistinguishedName = [
    ["O", "mar-hil"],
    ["CN", commonName],
  ];
  const der = issueCertificate({
    serial: randomBytes(9),
    issuer: name,
    subject: name,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    publicKey,
    signer: ecdsaSigner(privateKey),
    leaf: { extendedKeyUsage: ["clientAuth"] },
  });
  return {
    keyPem: keyPem(privateKey),
    certificatePem: toPem(der),
    der,
    certificateId: createHash("sha256").update(der).digest("hex"),
  };
}
