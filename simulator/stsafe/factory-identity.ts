// The identity ST writes into each STSAFE-A110 at the factory: a P-256 key in private-key slot 0 and
// a device certificate in zone 0 (firmware-shell §4.1, §4.8).
import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { issueCertificate } from "../../crypto/x509-certificate.ts";
import type { KeyedCertificate } from "./keyed-certificate.ts";
import { ST_CA_NAME, type StCa } from "./st-ca.ts";

/** Both sampled boards had a serial `02 09 <7 bytes> 01 39` (§4.8, INFERRED from 2 samples). */
export function factorySerial(): Buffer {
  return Buffer.concat([Buffer.from([0x02, 0x09]), randomBytes(7), Buffer.from([0x01, 0x39])]);
}

/** The factory certificates are 413 bytes of DER; ECDSA signatures vary in length, so retry until it fits. */
const FACTORY_CERT_LENGTH = 413;

export type FactoryIdentity = KeyedCertificate;

export function manufacture(ca: StCa, serial: Buffer = factorySerial()): FactoryIdentity {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const template = {
    serial,
    issuer: ST_CA_NAME,
    subject: [
      ["C", "FR"],
      ["O", "STMicroelectronics"],
      ["CN", `eval3-${serial.toString("hex").toUpperCase()}`],
    ] as const,
    notBefore: new Date("2021-03-05T00:00:00Z"),
    notAfter: new Date("2051-03-05T00:00:00Z"),
    publicKey,
    signer: ca.signer(),
  };
  let der = issueCertificate(template);
  for (let i = 0; i < 64 && der.length !== FACTORY_CERT_LENGTH; i++) der = issueCertificate(template);
  return { privateKey, certificateDer: der };
}

export function commonNameOf(certificateDer: Buffer): string {
  const subject = new X509Certificate(certificateDer).subject;
  const cn = subject.split("\n").find((l) => l.startsWith("CN="));
  return cn ? cn.slice(3) : "";
}
