// The twin's own root CA (ECDSA P-256, real X.509): it issues the server certificate of every account
// endpoint, and the simulated world maps the public AWS roots onto it (design: fidelity; aws-iot §5).
import {
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from "node:crypto";
import { join } from "node:path";
import { ecdsaSigner, issueCertificate, type DistinguishedName } from "../crypto/x509-certificate.ts";
import { readJson, writeJsonAtomic, writeTextAtomic } from "./registry/state-file.ts";

export const TWIN_CA_NAME: DistinguishedName = [
  ["C", "US"],
  ["O", "mar-hil"],
  ["CN", "mar-hil IoT Core twin Root CA"],
];

export interface ServerCredentials {
  /** PKCS#8 PEM private key. */
  key: string;
  /** The leaf certificate, PEM. */
  cert: string;
  /** Leaf then root, PEM: what the TLS server presents (`cert` of `tls.createSecureContext`). */
  chain: string;
}

const DAY_MS = 86_400_000;

export class TwinCa {
  private readonly issued = new Map<string, ServerCredentials>();

  private constructor(
    readonly certificatePem: string,
    /** Where the CA certificate is on disk: the `caFile` of `mar-hil cloud --json`. */
    readonly file: string,
    private readonly key: KeyObject,
    private readonly now: () => number,
  ) {}

  /** Loads `<dir>/ca.json`, creating the CA on first use; writes `<dir>/ca.pem` for clients to trust. */
  static openOrCreate(dir: string, now: () => number = Date.now): TwinCa {
    const file = join(dir, "ca.pem");
    const stored = readJson(join(dir, "ca.json")) as { key: string; cert: string } | undefined;
    if (stored) {
      const key = createPrivateKey({ key: Buffer.from(stored.key, "base64"), format: "der", type: "pkcs8" });
      const pem = new X509Certificate(Buffer.from(stored.cert, "base64")).toString();
      writeTextAtomic(file, pem);
      return new TwinCa(pem, file, key, now);
    }
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const der = issueCertificate({
      serial: positiveSerial(),
      issuer: TWIN_CA_NAME,
      subject: TWIN_CA_NAME,
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2060-01-01T00:00:00Z"),
      publicKey,
      signer: ecdsaSigner(privateKey),
      isCa: true,
    });
    const key = privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
    writeJsonAtomic(join(dir, "ca.json"), { key, cert: der.toString("base64") });
    const pem = new X509Certificate(der).toString();
    writeTextAtomic(file, pem);
    return new TwinCa(pem, file, privateKey, now);
  }

  /** A TLS server certificate for `hostname` (SAN and CN), chaining to this CA; one per host and run. */
  issueServerCertificate(hostname: string): ServerCredentials {
    const host = hostname.toLowerCase();
    const cached = this.issued.get(host);
    if (cached) return cached;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const now = this.now();
    const der = issueCertificate({
      serial: positiveSerial(),
      issuer: TWIN_CA_NAME,
      subject: [["CN", host]],
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + 365 * DAY_MS),
      publicKey,
      signer: ecdsaSigner(this.key),
      leaf: { dnsNames: [host], extendedKeyUsage: ["serverAuth"] },
    });
    const cert = new X509Certificate(der).toString();
    const credentials = {
      key: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      cert,
      chain: cert + this.certificatePem,
    };
    this.issued.set(host, credentials);
    return credentials;
  }
}

/** RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random bytes with the top bit cleared. */
function positiveSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  return serial;
}
