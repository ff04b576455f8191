// `pki import cert <label>` then the PEM one line at a time, each sent only after the firmware's
// per-line prompt (§4.3): the prompt is the flow control, never a sleep. Returns the board's verdict.
import type { ConsoleSession } from "./board-console.ts";
import type { WaitOptions } from "./deadline.ts";
import type { Reply } from "./exchange.ts";
import { LineRefusedError } from "./errors.ts";
import { checkLine } from "./line-rules.ts";
import type { LogLine } from "./log-line.ts";

export type PemVerdict =
  /** The firmware's `Success: …` line. */
  | { ok: true; message: string; logs: LogLine[] }
  /** The firmware printed an error; `line` is the 0-based PEM line it answered (-1: the command itself). */
  | { ok: false; kind: "error"; message: string; line: number; logs: LogLine[] }
  /** The import ended without a word (§4.3 rules 5–6, or a DER that is not X.509); `line` is where. */
  | { ok: false; kind: "silent-abort"; message: string; line: number; logs: LogLine[] };

const NOT_RECOGNIZED = "Command not recognized.";

/** Splits a PEM into the lines the firmware reads; blank lines are swallowed by its reader anyway (§4.3). */
export function pemLines(pem: string): string[] {
  return pem
    .split(/\r\n|\r|\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0);
}

export interface PreparedPem {
  command: string;
  lines: string[];
}

/** Checks everything before a byte is sent: a half-pasted PEM leaves the firmware reading lines. */
export function preparePem(label: string, pem: string): PreparedPem {
  const command = `pki import cert ${label}`;
  const lines = pemLines(pem);
  checkLine(command);
  if (lines.length === 0) checkLine("", "PEM");
  for (const line of lines) checkLine(line, "PEM line");
  const end = lines.findIndex((l) => l.startsWith("-----END "));
  if (end >= 0 && end < lines.length - 1) {
    throw new LineRefusedError(
      `the PEM has ${lines.length - end - 1} lines after its first END line; the firmware reads one block and would run the rest as commands (§4.3)`,
    );
  }
  return { command, lines };
}

export async function pastePem(
  session: ConsoleSession,
  { command, lines }: PreparedPem,
  options: WaitOptions = {},
): Promise<PemVerdict> {
  const logs: LogLine[] = [];
  const keep = (reply: Reply): string => {
    logs.push(...reply.logs);
    return reply.lines.join("\n").trim();
  };
  const opening = keep(await session.exchange(command, options));
  if (opening !== "") return { ok: false, kind: "error", message: opening, line: -1, logs };

  for (const [i, line] of lines.entries()) {
    const said = keep(await session.exchange(line, options));
    const last = i === lines.length - 1;
    if (said.startsWith(NOT_RECOGNIZED)) {
      // The import had already ended silently: this line ran as a command.
      return {
        ok: false,
        kind: "silent-abort",
        message: `the firmware left the import silently after PEM line ${i} (a line it could not decode, §4.3)`,
        line: i - 1,
        logs,
      };
    }
    if (said.startsWith("Success:")) return { ok: true, message: said, logs };
    if (said !== "") return { ok: false, kind: "error", message: said, line: i, logs };
    if (last) {
      return {
        ok: false,
        kind: "silent-abort",
        message: "no verdict after the END line: the firmware could not parse the DER as X.509 (§4.3)",
        line: i,
        logs,
      };
    }
  }
  // Not reached: the last line always returns above.
  return { ok: false, kind: "silent-abort", message: "no verdict", line: lines.length - 1, logs };
}
