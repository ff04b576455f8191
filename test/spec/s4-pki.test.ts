// firmware-shell §4: certificates and keys through `pki`.
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ecdsaSigner, issueCertificate } from "../../crypto/x509-certificate.ts";
import { HELP_TEXT } from "../../simulator/shell/help-texts.ts";
import { BoardHarness } from "../support/board-harness.ts";

const SFS_PEM = readFileSync(new URL("../../data/aws-root-cas/SFSRootCAG2.pem", import.meta.url), "latin1");
const SFS_LINES = SFS_PEM.trim().split("\n");
const SUCCESS = "Success: Certificate loaded to label: 'root_ca_cert'.\r\n";

/** The transcript of a PEM pasted line by line: a prompt, the echo and CRLF per line. */
const echoed = (lines: string[]): string => lines.map((l) => `> ${l}\r\n`).join("");

function pem(der: Buffer, label = "CERTIFICATE"): string {
  const body = der.toString("base64").match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join("\n");
}

function bigCertificate(): Buffer {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = [["CN", "x".repeat(700)]] as const;
  return issueCertificate({
    serial: Buffer.from([1]),
    issuer: name,
    subject: name,
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("2034-01-01T00:00:00Z"),
    publicKey,
    signer: ecdsaSigner(privateKey),
  });
}

describe("§4 pki — certificates and keys", () => {
  let h: BoardHarness;
  beforeEach(async () => {
    h = await BoardHarness.booted();
  });
  afterEach(() => h.dispose());

  async function exportedRootCa(): Promise<string> {
    const out = await h.command("pki export cert root_ca_cert", 200);
    return out.slice(out.indexOf("Cert: root_ca_cert"), out.indexOf("-----END CERTIFICATE-----\r\n") + 27);
  }

  it("imports the root CA line by line, a prompt per line, into zone 7 (§4.3)", async () => {
    await h.send("pki import cert root_ca_cert\r", 10);
    expect(h.take()).toBe("pki import cert root_ca_cert\r\n> ");
    for (const line of SFS_LINES) await h.send(`${line}\r\n`, 1);
    await h.clock.advance(500);
    const out = h.take();
    const tail = out.slice(out.lastIndexOf("-----END CERTIFICATE-----\r\n") + 27);
    expect(out.startsWith(`${SFS_LINES.slice(0, -1).join("\r\n> ")}\r\n> -----END`)).toBe(true);
    expect(tail).toMatch(
      new RegExp(
        String.raw`^<WRN> +\d+ \[cli {7}\] Failed to initialize PKCS #11\. PKCS #11 was already initialized\. \(core_pkcs11_mbedtls\.c:1631\)\r\n` +
          String.raw`<INF> +\d+ \[cli {7}\] Creating a 0x1 type object\. \(core_pkcs11_mbedtls\.c:3094\)\r\n` +
          "Success: Certificate loaded to label: 'root_ca_cert'\\.\\r\\n> " +
          String.raw`\r\x1b\[K<INF> +\d+ \[cli {7}\] Successfully closed PKCS #11 session\. \(core_pkcs11_mbedtls\.c:2178\)\r\n> $`,
      ),
    );
    expect(h.board.se.readRootCa()).toEqual(new X509Certificate(SFS_PEM).raw);
  });

  it("exports the root CA as canonical 64-column PEM whatever the paste looked like (§4.5)", async () => {
    // CRLF endings, blank lines and a one-shot burst, as config.ps1 does.
    await h.send(`pki import cert root_ca_cert\r\n\r\n${SFS_LINES.join("\r\n\r\n")}\r\n`, 500);
    expect(h.take()).toContain(SUCCESS);
    const exported = await exportedRootCa();
    const lines = exported.split("\r\n");
    expect(lines[0]).toBe("Cert: root_ca_cert");
    expect(lines.slice(1, -1)).toEqual(SFS_LINES);
    expect(lines).toHaveLength(26);
    expect(lines[23]).toBe("sSi6");
  });

  it("exports the factory certificate: 9 lines, 413 bytes (§4.5, §4.8)", async () => {
    const out = await h.command("pki export cert", 200);
    const body = out.split("-----BEGIN CERTIFICATE-----\r\n")[1]?.split("-----END")[0] ?? "";
    expect(out).toContain("Cert: tls_cert\r\n");
    expect(body.split("\r\n").filter(Boolean)).toHaveLength(9);
    expect(Buffer.from(body.replace(/\r\n/g, ""), "base64")).toEqual(h.board.se.certificateDer);
  });

  it("exports an empty block for a missing certificate, with an ERR only for an unknown label (§4.5)", async () => {
    const empty = "-----BEGIN CERTIFICATE-----\r\n-----END CERTIFICATE-----\r\n";
    const missing = await h.command("pki export cert root_ca_cert", 200);
    expect(missing).toContain(`Cert: root_ca_cert\r\n${empty}`);
    expect(missing).not.toContain("<ERR>");
    const unknown = await h.command("pki export cert bogus", 200);
    expect(unknown).toMatch(
      /<ERR> +\d+ \[cli {7}\] Failed to get attribute\. The object handle was invalid\. \(core_pkcs11_mbedtls\.c:3253\)\r\n/,
    );
    expect(unknown).toContain(`Cert: bogus\r\n${empty}`);
  });

  it("refuses the import for every label but root_ca_cert (§4.1, §4.3)", async () => {
    await h.send(`pki import cert\r${SFS_LINES.join("\r")}\r`, 500);
    const out = h.take();
    expect(out).toContain("Error: failed to save certificate to label: 'tls_cert'.\r\n");
    expect(out).toContain(
      "Failed to delete existing PKCS11 object. CK_RV: CKR_FUNCTION_FAILED (PkiObjectPkcs11.c:371)",
    );
    await h.send(`pki import cert ota_signer_pub\r${SFS_LINES.join("\r")}\r`, 500);
    const other = h.take();
    expect(other).toContain("Error: failed to save certificate to label: 'ota_signer_pub'.\r\n");
    expect(other).toContain(
      "Could not save the certificate to the PKCS #11 PAL. (core_pkcs11_mbedtls.c:2266)",
    );
  });

  it("reports each PEM rule with the firmware's text, and aborts silently where the firmware does (§4.3)", async () => {
    const run = async (lines: string[]): Promise<string> => {
      await h.send(`pki import cert root_ca_cert\r${lines.map((l) => `${l}\r`).join("")}`, 300);
      return h.take().slice("pki import cert root_ca_cert\r\n".length);
    };
    expect(await run(["BEGIN CERTIFICATE"])).toBe(
      "> BEGIN CERTIFICATE\r\nError: PEM header does not contain the expected text: '-----BEGIN '.\r\n> ",
    );
    expect(await run(["-----BEGIN CERTIFICATE"])).toBe(
      "> -----BEGIN CERTIFICATE\r\nError: PEM header does not contain the expected ending: '-----'.\r\n> ",
    );
    expect(await run(["-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE"])).toBe(
      `${echoed(["-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE"])}Error: PEM footer does not contain the expected ending: '-----'.\r\n> `,
    );
    const long = "A".repeat(68);
    expect(await run([SFS_LINES[0] as string, long])).toBe(
      `${echoed([SFS_LINES[0] as string, long])}Error: Current line exceeds maximum line length for a PEM file.\r\n> `,
    );
    // Invalid base64 and a DER that is no certificate: silent, only the next prompt.
    expect(await run([SFS_LINES[0] as string, "not*base64"])).toBe(
      `${echoed([SFS_LINES[0] as string, "not*base64"])}> `,
    );
    expect(await run(["-----BEGIN X-----", "AAAA", "-----END X-----"])).toBe(
      `${echoed(["-----BEGIN X-----", "AAAA", "-----END X-----"])}> `,
    );
    expect(h.board.se.readRootCa()).toBeUndefined();
  });

  it("accepts trailing spaces on a base64 line, as mbedtls_base64_decode does (§4.3)", async () => {
    const lines = SFS_LINES.map((l, i) => (i === SFS_LINES.length - 2 ? `${l}  ` : l));
    await h.send(`pki import cert root_ca_cert\r${lines.join("\r")}\r`, 500);
    expect(h.take()).toContain(SUCCESS);
  });

  it("a BOM before the header fails the header check (§4.3)", async () => {
    await h.send(`pki import cert root_ca_cert\r\xef\xbb\xbf${SFS_LINES[0]}\r`, 200);
    expect(h.take()).toContain("Error: PEM header does not contain the expected text: '-----BEGIN '.\r\n> ");
  });

  it("runs out of memory past 2048 bytes of DER, and a 128-character line aborts silently (§4.3)", async () => {
    const filler = Array.from({ length: 45 }, () => "A".repeat(64));
    await h.send(`pki import cert root_ca_cert\r-----BEGIN CERTIFICATE-----\r${filler.join("\r")}\r`, 300);
    expect(h.take()).toContain("Error: Out of memory to store the given PEM file.\r\n> ");
    await h.send(
      `pki import cert root_ca_cert\r-----BEGIN CERTIFICATE-----\r${"A".repeat(128)}uptime\r`,
      300,
    );
    const out = h.take();
    expect(out).toContain(`> ${"A".repeat(128)}> uptime\r\nup 0 day(s)`);
  });

  it("a certificate over 1574 bytes does not fit zone 7 (§4.1)", async () => {
    const der = bigCertificate();
    expect(der.length).toBeGreaterThan(1574);
    await h.send(`pki import cert root_ca_cert\r${pem(der).split("\n").join("\r")}\r`, 500);
    expect(h.take()).toContain("Error: failed to save certificate to label: 'root_ca_cert'.\r\n");
  });

  it("imports of keys parse but never save; parse errors print without CRLF (§4.4)", async () => {
    await h.send(
      "pki import key ota_signer_pub\r-----BEGIN PUBLIC KEY-----\rAAAA\r-----END PUBLIC KEY-----\r",
      200,
    );
    expect(h.take()).toMatch(/-----END PUBLIC KEY-----\r\nERROR: Failed to parse public key\.> $/);
    const spki = h.board.se.publicKeyDer;
    await h.send(`pki import key ota_signer_pub\r${pem(spki, "PUBLIC KEY").split("\n").join("\r")}\r`, 200);
    expect(h.take()).toMatch(/Error: failed to save public key to label: 'ota_signer_pub'\.\r\n> $/);
  });

  it("exports the public key of tls_key_pub only (§4.6)", async () => {
    const out = await h.command("pki export key", 200);
    const lines = out.split("\r\n").filter((l) => !l.startsWith("<") && !l.includes("\x1b"));
    const at = lines.indexOf("Public Key Label: tls_key_pub");
    expect(lines.slice(at + 1, at + 5).map((l) => l.length)).toEqual([26, 64, 60, 24]);
    expect(Buffer.from(lines.slice(at + 2, at + 4).join(""), "base64")).toEqual(h.board.se.publicKeyDer);
    expect(await h.command("pki export key tls_key_priv")).toBe("pki export key tls_key_priv\r\n> ");
  });

  it("prints the pki help for missing or unknown verbs and an error plus help for unknown objects (§4.2, §4.7)", async () => {
    for (const line of [
      "pki",
      "pki list",
      "pki generate key a b c d",
      "pki frob cert",
      "pki import",
      "pki export",
    ]) {
      expect(await h.command(line)).toBe(`${line}\r\n${HELP_TEXT.pki}> `);
    }
    expect(await h.command("pki export csr")).toBe(
      `pki export csr\r\nError: Invalid object type: 'csr' specified for import command.\r\n${HELP_TEXT.pki}> `,
    );
  });

  it("keeps the imported root CA across reset, power cycle and re-flash (§7)", async () => {
    await h.send(`pki import cert root_ca_cert\r${SFS_LINES.join("\r")}\r`, 500);
    const before = await exportedRootCa();
    await h.command("reset", 2500);
    expect(await exportedRootCa()).toBe(before);
    await h.powerCycle();
    expect(await exportedRootCa()).toBe(before);
    h.board.flashFirmware("mar-2025-02");
    await h.powerCycle();
    expect(await exportedRootCa()).toBe(before);
  });
});
