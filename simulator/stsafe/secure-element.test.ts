// The factory identity of a simulated STSAFE-A110 (firmware-shell §4.8) and its persistence (§3.6, §7).
import { createPublicKey, verify, X509Certificate } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecureElement } from "./secure-element.ts";
import { StCa } from "./st-ca.ts";

describe("simulated STSAFE-A110 factory identity", () => {
  let dir: string;
  let ca: StCa;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mar-hil-se-"));
    ca = StCa.openOrCreate(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("has the §4.8 certificate fields and verifies against the simulated ST CA", () => {
    const se = SecureElement.openOrManufacture(join(dir, "a"), ca);
    const der = se.certificateDer;
    const cert = new X509Certificate(der);
    expect(der).toHaveLength(413);
    expect(cert.issuer).toBe("C=NL\nO=STMicroelectronics nv\nCN=STM STSAFE-A PROD CA 01");
    expect(cert.subject).toMatch(/^C=FR\nO=STMicroelectronics\nCN=eval3-0209[0-9A-F]{14}0139$/);
    expect(cert.serialNumber.toUpperCase()).toBe(se.commonName.slice("eval3-".length));
    expect(new Date(cert.validFrom).toISOString()).toBe("2021-03-05T00:00:00.000Z");
    expect(new Date(cert.validTo).toISOString()).toBe("2051-03-05T00:00:00.000Z");
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca.certificate)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(cert.toLegacyObject().ext_key_usage).toBeUndefined();
    // X.509 v3 with no extensions field: TBSCertificate ends with the SubjectPublicKeyInfo.
    const spkiEnd = der.indexOf(se.publicKeyDer) + se.publicKeyDer.length;
    expect(der.subarray(spkiEnd, spkiEnd + 12)).toEqual(Buffer.from("300a06082a8648ce3d040302", "hex"));
    // notBefore is a UTCTime, notAfter a GeneralizedTime (RFC 5280 dates past 2049).
    expect(der.includes(Buffer.from("\x17\x0d210305000000Z", "latin1"))).toBe(true);
    expect(der.includes(Buffer.from("\x18\x0f20510305000000Z", "latin1"))).toBe(true);
  });

  it("signs with a key that matches the certificate and never appears in its exports", () => {
    const se = SecureElement.openOrManufacture(join(dir, "a"), ca);
    const data = Buffer.from("TLS handshake transcript hash");
    const signature = se.sign(data);
    expect(verify("sha256", data, new X509Certificate(se.certificateDer).publicKey, signature)).toBe(true);
    expect(createPublicKey({ key: se.publicKeyDer, format: "der", type: "spki" }).asymmetricKeyType).toBe(
      "ec",
    );
    expect(Object.keys(se)).not.toContain("privateKey");
  });

  it("is distinct per board and stable across re-opening the state directory", () => {
    const a = SecureElement.openOrManufacture(join(dir, "a"), ca);
    const b = SecureElement.openOrManufacture(join(dir, "b"), ca);
    expect(a.commonName).not.toBe(b.commonName);
    expect(a.certificateId).not.toBe(b.certificateId);
    const again = SecureElement.openOrManufacture(join(dir, "a"), StCa.openOrCreate(dir));
    expect(again.certificateDer).toEqual(a.certificateDer);
    expect(again.certificateId).toBe(a.certificateId);
    expect(a.certificateId).toMatch(/^[0-9a-f]{64}$/);
  });

  it("stores zone 1 as the 444-byte record of §3.6 (header, magic, CRC)", async () => {
    const se = SecureElement.openOrManufacture(join(dir, "a"), ca);
    const { KeyValueStore } = await import("../firmware/key-value-store.ts");
    const { PROFILES } = await import("../firmware/profiles.ts");
    const kv = new KeyValueStore(se, PROFILES["mar-2025-02"] as (typeof PROFILES)[string]);
    kv.set("mqtt_port", 8883);
    expect(kv.commitKey("mqtt_port")).toBe(true);
    const zone1 = readFileSync(join(dir, "a", "zone1.bin"));
    expect(zone1).toHaveLength(444);
    expect(zone1.subarray(0, 8)).toEqual(Buffer.from([0x30, 0x82, 0x01, 0xb8, 0x09, 0xef, 0xa4, 0x37]));
    expect(se.readConfig()?.get("mqtt_port")).toBe(8883);
    // The CN-derived thing name is stored without its NUL: readers lose the last character.
    expect(se.readConfig()?.get("thing_name")).toBe(se.commonName.slice(0, -1));
    expect(readdirSync(join(dir, "a")).sort()).toEqual(["identity.json", "zone1.bin"]);
    // Zone 1 holds the Wi-Fi credential and the identity the key: owner-only files.
    for (const f of ["identity.json", "zone1.bin"]) expect(statSync(join(dir, "a", f)).mode & 0o077).toBe(0);
  });
});
