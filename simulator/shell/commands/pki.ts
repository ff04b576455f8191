// firmware-shell §4: `pki import|export cert|key` against the STSAFE's PKCS#11 objects.
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import type { Cli, Command } from "../cli.ts";
import { HELP_TEXT } from "../help-texts.ts";
import { readPemAsDer } from "../pem-reader.ts";
import { SecureElement } from "../../stsafe/secure-element.ts";

const LABEL_MAX = 32;
/** Labels the PKCS#11 layer knows (§4.1). */
const KNOWN_LABELS = new Set([
  "tls_key_priv",
  "tls_key_pub",
  "tls_cert",
  "ota_signer_pub",
  "sntp_hmac",
  "sntp_cmac",
  "fleetprov_claim_cert",
  "fleetprov_claim_key",
  "root_ca_cert",
]);
/** An STSAFE object read (a zone read over I2C) takes a few tens of ms. INFERRED. */
const READ_MS = 20;

const PKCS11_ALREADY = "Failed to initialize PKCS #11. PKCS #11 was already initialized.";
const PKCS11_ALREADY_AT = "core_pkcs11_mbedtls.c:1631";
const closedSession = (cli: Cli): void =>
  cli.log("INF", "Successfully closed PKCS #11 session.", "core_pkcs11_mbedtls.c:2178");

const label = (arg: string | undefined, fallback: string): string => (arg ?? fallback).slice(0, LABEL_MAX);

function base64Lines(der: Buffer): string {
  return (der.toString("base64").match(/.{1,64}/g) ?? []).map((l) => `${l}\r\n`).join("");
}

async function importCert(cli: Cli, target: string): Promise<void> {
  const der = await readPemAsDer(cli);
  if (!der) return;
  try {
    new X509Certificate(der);
  } catch {
    return; // an unparsable certificate is dropped without a message (§4.3)
  }
  cli.log("WRN", PKCS11_ALREADY, PKCS11_ALREADY_AT);
  if (target === "tls_cert") {
    // INFERRED: the factory certificate cannot be destroyed.
    cli.log(
      "ERR",
      "Failed to destroy object. PKCS11_PAL_DestroyObject failed.",
      "core_pkcs11_mbedtls.c:3165",
    );
    cli.log(
      "ERR",
      "Failed to delete existing PKCS11 object. CK_RV: CKR_FUNCTION_FAILED",
      "PkiObjectPkcs11.c:371",
    );
  } else {
    cli.log("INF", "Creating a 0x1 type object.", "core_pkcs11_mbedtls.c:3094");
  }
  let saved = false;
  if (target === "root_ca_cert") {
    await cli.work(SecureElement.writeDurationMs(der.length));
    saved = cli.se.writeRootCa(der);
  }
  if (!saved && target !== "tls_cert") {
    cli.log(
      "ERR",
      "Failed to create certificate. Could not save the certificate to the PKCS #11 PAL.",
      "core_pkcs11_mbedtls.c:2266",
    );
  }
  cli.out(
    saved
      ? `Success: Certificate loaded to label: '${target}'.\r\n`
      : `Error: failed to save certificate to label: '${target}'.\r\n`,
  );
  closedSession(cli);
}

async function importKey(cli: Cli, target: string): Promise<void> {
  const der = await readPemAsDer(cli);
  if (!der) return;
  const isPrivate = target === "fleetprov_claim_key";
  try {
    if (isPrivate) createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    else createPublicKey({ key: der, format: "der", type: "spki" });
  } catch {
    return cli.out(isPrivate ? "ERROR: Failed to parse private key." : "ERROR: Failed to parse public key.");
  }
  // The STSAFE back-end refuses every key object in this build (§4.4, INFERRED).
  cli.out(`Error: failed to save public key to label: '${target}'.\r\n`);
}

function storedCertificate(cli: Cli, target: string): Buffer | undefined {
  if (target === "tls_cert") return cli.se.certificateDer;
  if (target === "root_ca_cert") return cli.se.readRootCa();
  return undefined;
}

async function exportCert(cli: Cli, target: string): Promise<void> {
  cli.log("WRN", PKCS11_ALREADY, PKCS11_ALREADY_AT);
  await cli.work(READ_MS);
  if (!KNOWN_LABELS.has(target)) {
    cli.log("ERR", "Failed to get attribute. The object handle was invalid.", "core_pkcs11_mbedtls.c:3253");
  }
  // A missing object maps to success with an empty body (§4.5).
  const der = storedCertificate(cli, target) ?? Buffer.alloc(0);
  cli.out(
    `Cert: ${target}\r\n-----BEGIN CERTIFICATE-----\r\n${base64Lines(der)}-----END CERTIFICATE-----\r\n`,
  );
  closedSession(cli);
}

async function exportKey(cli: Cli, target: string): Promise<void> {
  if (target !== "tls_key_pub") return; // the other branch is empty in the source (§4.6)
  cli.log("WRN", PKCS11_ALREADY, PKCS11_ALREADY_AT);
  await cli.work(READ_MS);
  cli.out(
    `Public Key Label: ${target}\r\n-----BEGIN PUBLIC KEY-----\r\n${base64Lines(cli.se.publicKeyDer)}-----END PUBLIC KEY-----\r\n`,
  );
  closedSession(cli);
}

export const pki: Command = async (cli, args) => {
  const [verb, object, name] = args;
  if ((verb !== "import" && verb !== "export") || object === undefined) return cli.out(HELP_TEXT.pki);
  if (object === "cert") {
    return verb === "import"
      ? importCert(cli, label(name, "tls_cert"))
      : exportCert(cli, label(name, "tls_cert"));
  }
  if (object === "key") {
    // `pki import key` without a label reads past the argument list: a HardFault (§4.2, INFERRED).
    if (verb === "import") return name === undefined ? cli.fault() : importKey(cli, label(name, ""));
    return exportKey(cli, label(name, "tls_key_pub"));
  }
  cli.out(`Error: Invalid object type: '${object}' specified for import command.\r\n${HELP_TEXT.pki}`);
};
