// The board's identity from its own answers: `pki export cert tls_cert` and `conf get thing_name`
// (firmware-shell §4.5, §3.5).
import { createHash, X509Certificate } from "node:crypto";
import type { BoardConsole } from "../console/index.ts";
import type { WaitOptions } from "../console/index.ts";
import { ProvisionError } from "./errors.ts";

export interface BoardIdentity {
  certificatePem: string;
  commonName: string;
  /** SHA-256 of the DER, lower-case hex: AWS IoT's certificateId (aws-iot §1.3). */
  certificateId: string;
  /** What the firmware uses as MQTT client id and thing name. */
  thingName: string;
  /** The shipped firmware drops the CN's last character (§3.5); a note for the report when it does. */
  thingNameNote?: string;
}

/** The PEM block of an export, re-wrapped with LF line ends. */
export function pemFromExport(lines: readonly string[], label = "CERTIFICATE"): string | undefined {
  const begin = lines.indexOf(`-----BEGIN ${label}-----`);
  const end = lines.indexOf(`-----END ${label}-----`);
  if (begin < 0 || end <= begin + 1) return undefined;
  return `${lines.slice(begin, end + 1).join("\n")}\n`;
}

export async function readIdentity(console: BoardConsole, wait: WaitOptions = {}): Promise<BoardIdentity> {
  const exported = await console.command("pki export cert tls_cert", wait);
  const pem = pemFromExport(exported.lines);
  if (!pem) {
    throw new ProvisionError(
      "IDENTITY_UNREADABLE",
      "device",
      `pki export cert tls_cert gave no certificate: ${exported.text.slice(0, 200)}`,
    );
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new ProvisionError(
      "IDENTITY_UNREADABLE",
      "device",
      `the exported tls_cert does not parse: ${(e as Error).message}`,
    );
  }
  const commonName = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1] ?? "";
  const conf = await console.command("conf get thing_name", wait);
  const thingName = /^thing_name="(.*)"$/.exec(conf.lines[0] ?? "")?.[1];
  if (thingName === undefined) {
    throw new ProvisionError(
      "IDENTITY_UNREADABLE",
      "device",
      `conf get thing_name answered: ${conf.text.slice(0, 200)}`,
    );
  }
  const note =
    thingName === commonName
      ? undefined
      : thingName === commonName.slice(0, -1)
        ? `thing name ${thingName} is the certificate CN ${commonName} without its last character (the shipped firmware's quirk)`
        : `thing name ${thingName} differs from the certificate CN ${commonName}`;
  return {
    certificatePem: pem,
    commonName,
    certificateId: createHash("sha256").update(cert.raw).digest("hex"),
    thingName,
    ...(note ? { thingNameNote: note } : {}),
  };
}
