// The STSAFE-A110 twin: factory identity (zone 0 + private key slot 0), configuration (zone 1) and the
// root CA (zone 7), persisted in the board's state directory (firmware-shell §3.6, §4.1).
import { createHash, createPublicKey, sign, type KeyObject } from "node:crypto";
import { join } from "node:path";
import { AtomicFile } from "./atomic-file.ts";
import { ConfigRecord } from "./config-record.ts";
import { readJsonState } from "../state-file.ts";
import { commonNameOf, manufacture, type FactoryIdentity } from "./factory-identity.ts";
import { parseKeyedCertificate, serializeKeyedCertificate } from "./keyed-certificate.ts";
import type { StCa } from "./st-ca.ts";

/** Zone 7 is 1578 bytes; 4 of them hold the length header (§4.1). */
export const ROOT_CA_MAX_DER = 1574;
/** Zone writes go in chunks of at most 504 bytes with a 50 ms delay each (§3.6, INFERRED). */
const CHUNK = 504;
const CHUNK_MS = 50;

export class SecureElement {
  readonly zone1: AtomicFile;
  readonly zone7: AtomicFile;
  readonly commonName: string;

  private constructor(
    dir: string,
    private readonly identity: FactoryIdentity,
  ) {
    this.zone1 = new AtomicFile(join(dir, "zone1.bin"));
    this.zone7 = new AtomicFile(join(dir, "zone7.bin"));
    this.commonName = commonNameOf(identity.certificateDer);
  }

  /** Opens the secure element stored in `dir`, manufacturing a new one the first time. */
  static openOrManufacture(dir: string, ca: StCa): SecureElement {
    const file = new AtomicFile(join(dir, "identity.json"));
    const stored = readJsonState(file, parseKeyedCertificate);
    const identity = stored ?? manufacture(ca);
    if (!stored) file.write(serializeKeyedCertificate(identity));
    return new SecureElement(dir, identity);
  }

  get certificateDer(): Buffer {
    return Buffer.from(this.identity.certificateDer);
  }

  /** AWS IoT's certificateId: SHA-256 of the DER, lower-case hex. */
  get certificateId(): string {
    return createHash("sha256").update(this.identity.certificateDer).digest("hex");
  }

  get publicKeyDer(): Buffer {
    return createPublicKey(this.identity.privateKey).export({ type: "spki", format: "der" });
  }

  /** ECDSA P-256 / SHA-256 signature with the slot-0 key; the key itself never leaves the element. */
  sign(data: Buffer): Buffer {
    return sign("sha256", data, this.identity.privateKey);
  }

  /**
   * The slot-0 key as an opaque handle for the TLS stack of the firmware twin, which stands in for the
   * STSAFE signing callback of mbedtls. Nothing on the console or in reports can reach it.
   */
  tlsSigningKey(): KeyObject {
    return this.identity.privateKey;
  }

  /** The boot check verifies the CRC; a commit's read-modify-write does not (§3.6). */
  readConfig(verifyCrc = true): ConfigRecord | undefined {
    return ConfigRecord.parse(this.zone1.read(), verifyCrc);
  }

  writeConfig(record: ConfigRecord): void {
    this.zone1.write(record.toBuffer());
  }

  readRootCa(): Buffer | undefined {
    const stored = this.zone7.read();
    return stored && stored.length > 0 ? stored : undefined;
  }

  /** Erase then write, as the PKCS#11 PAL does; false when the certificate does not fit the zone. */
  writeRootCa(der: Buffer): boolean {
    if (der.length > ROOT_CA_MAX_DER) return false;
    this.zone7.write(der);
    return true;
  }

  static writeDurationMs(bytes: number): number {
    return Math.max(1, Math.ceil(bytes / CHUNK)) * CHUNK_MS + 10;
  }
}
