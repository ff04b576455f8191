// `xReadPemFromCliAsDer`: a PEM read line by line through the command line reader (firmware-shell §4.3).
import type { Cli } from "./cli.ts";

const PEM_LINE_MAX = 64;
const DER_MAX = 2048;
const BEGIN = "-----BEGIN ";
const END = "-----END ";
const DASHES = "-----";

/** A base64 line as mbedtls_base64_decode accepts it (trailing spaces are fine); undefined when it fails. */
function decodeLine(line: string): Buffer | undefined {
  const text = line.replace(/ +$/, "");
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, "base64");
}

/** The DER, or undefined when the import was aborted (with or without a message, as the firmware does). */
export async function readPemAsDer(cli: Cli): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for (let first = true; ; first = false) {
    const line = await cli.readLine();
    // The 128-character limit ends the read with length 0: a silent abort.
    if (line === null) return undefined;
    if (line.length > PEM_LINE_MAX) {
      cli.out("Error: Current line exceeds maximum line length for a PEM file.\r\n");
      return undefined;
    }
    if (length + line.length + 1 >= DER_MAX) {
      cli.out("Error: Out of memory to store the given PEM file.\r\n");
      return undefined;
    }
    if (first) {
      if (!line.startsWith(BEGIN)) {
        cli.out(`Error: PEM header does not contain the expected text: '${BEGIN}'.\r\n`);
        return undefined;
      }
      if (!line.slice(BEGIN.length).includes(DASHES)) {
        cli.out(`Error: PEM header does not contain the expected ending: '${DASHES}'.\r\n`);
        return undefined;
      }
      continue;
    }
    if (line.startsWith(END)) {
      if (!line.slice(END.length).includes(DASHES)) {
        cli.out(`Error: PEM footer does not contain the expected ending: '${DASHES}'.\r\n`);
        return undefined;
      }
      return Buffer.concat(chunks);
    }
    const der = decodeLine(line);
    if (!der) return undefined;
    chunks.push(der);
    length += der.length;
  }
}
