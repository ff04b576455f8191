// The simulated "STM STSAFE-A PROD CA 01": issuer of every simulated board's factory certificate.
import { createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from "node:crypto";
import { join } from "node:path";
import { readJsonState } from "../state-file.ts";
import { AtomicFile } from "./atomic-file.ts";
import { parseKeyedCertificate, serializeKeyedCertificate } from "./keyed-certificate.ts";
import { ecdsaSigner, issueCertificate, type DistinguishedName } from "../../crypto/x509-certificate.ts";

export const ST_CA_NAME: DistinguishedName = [
  ["C", "NL"],
  ["O", "STMicroelectronics nv"],
  ["CN", "STM STSAFE-A PROD CA 01"],
];

export class StCa {
  private constructor(
    readonly certificateDer: Buffer,
    private readonly key: KeyObject,
  ) {}

  get certificate(): X509Certificate {
    return new X509Certificate(this.certificateDer);
  }

  get publicKey(): KeyObject {
    return createPublicKey(this.key);
  }

  signer(): (tbs: Buffer) => Buffer {
    return ecdsaSigner(this.key);
  }

  /** Loads the CA of a state directory, creating it on first use. */
  static openOrCreate(stateDir: string): StCa {
    const file = new AtomicFile(join(stateDir, "st-ca.json"));
    const stored = readJsonState(file, parseKeyedCertificate);
    if (stored) return new StCa(stored.certificateDer, stored.privateKey);
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const der = issueCertificate({
      serial: Buffer.from("5354534146454130", "hex"),
      issuer: ST_CA_NAME,
      subject: ST_CA_NAME,
      notBefore: new Date("2018-07-27T00:00:00Z"),
      notAfter: new Date("2068-07-27T00:00:00Z"),
      publicKey,
      signer: ecdsaSigner(privateKey),
      isCa: true,
    });
    file.write(serializeKeyedCertificate({ privateKey, certificateDer: der }));
    return new StCa(der, privateKey);
  }
}
