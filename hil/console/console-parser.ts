// The protocol core (style.md rule 4): bytes from the board in, console events out. It applies the
// terminal semantics the firmware relies on (§1.4 `\r\x1b[K` redraw) and separates log lines from
// command output, whatever the chunking. It knows nothing of links, time or commands.
import { LOG_HEADER, parseLogLine, type LogLine } from "./log-line.ts";

export const PROMPT = "> ";
/** §1.4: column 0, erase to end of line — the firmware wipes the prompt and partial input before a log. */
const ERASE_LINE = "\r\x1b[K";

/** Outputs that end without CRLF, so the next prompt follows on the same line (§1.2). */
const NO_NEWLINE_OUTPUTS = [
  "Resetting device.",
  "ERROR: Failed to parse public key.",
  "ERROR: Failed to parse private key.",
  "Error: mbedtls_entropy_func call failed.",
  "Error: mbedtls_base64_encode call failed.",
  "Error: Not enough memory to complete the operation",
  "An unknown error occurred.",
];

export type ConsoleEvent =
  /** A `> ` prompt; `before` is output printed on the same line first; `redraw` when §1.4 re-printed it after a log. */
  | { kind: "prompt"; before: string; redraw: boolean }
  /** A line typed after a prompt, as echoed and terminated by the board. */
  | { kind: "input"; text: string }
  /** A complete line of output that is not a log line; `eol` is the terminator as received. */
  | { kind: "output"; text: string; eol: string }
  | { kind: "log"; log: LogLine };

export class ConsoleParser {
  /** The line being received, after erase/backspace are applied. */
  private line = "";
  /** Index just after the prompt on the current line, or -1. */
  private promptEnd = -1;
  /** A `\r\x1b[K` erased the line: the next prompt is the §1.4 redraw, not a new one. */
  private redrawing = false;
  /** Bytes that may start a control sequence not yet complete (`\r`, `\x1b[`). */
  private pending = "";

  /** Feeds received bytes; returns the events they complete, in order. */
  push(bytes: Buffer | string): ConsoleEvent[] {
    const events: ConsoleEvent[] = [];
    const text = this.pending + (typeof bytes === "string" ? bytes : bytes.toString("latin1"));
    this.pending = "";
    let i = 0;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === "\r") {
        if (i + 1 >= text.length) break;
        if (text[i + 1] === "\n") {
          this.endLine("\r\n", events);
          i += 2;
        } else if (text[i + 1] === "\x1b") {
          const head = text.slice(i, i + ERASE_LINE.length);
          if (head.length < ERASE_LINE.length && ERASE_LINE.startsWith(head)) break;
          if (head === ERASE_LINE) {
            this.line = "";
            this.promptEnd = -1;
            this.redrawing = true;
            i += 4;
          } else {
            // A bare CR: the firmware never sends one alone; treat it as a line end.
            this.endLine("\r", events);
            i += 1;
          }
        } else {
          this.endLine("\r", events);
          i += 1;
        }
      } else if (c === "\n") {
        this.endLine("\n", events);
        i += 1;
      } else if (c === "\x1b") {
        const csi = /^\x1b\[[0-?]*[ -/]*[@-~]/.exec(text.slice(i, i + 32));
        if (csi) {
          i += csi[0].length;
          continue;
        }
        // Incomplete escape at the end of the chunk: wait for the rest; otherwise drop the ESC.
        if (/^\x1b(\[[0-?]*[ -/]*)?$/.test(text.slice(i))) break;
        i += 1;
      } else if (c === "\b") {
        // `\b \b` is the firmware's backspace echo (§1.3): remove the character.
        if (this.line.length > 0) this.line = this.line.slice(0, -1);
        if (this.promptEnd > this.line.length) this.promptEnd = -1;
        i += 1;
      } else if (c === "\0") {
        i += 1;
      } else {
        this.line += c;
        i += 1;
        if (c === " ") this.checkPrompt(events);
      }
    }
    this.pending = text.slice(i);
    return events;
  }

  /** Forgets a half-received line (a new connection starts clean). */
  reset(): void {
    this.line = "";
    this.promptEnd = -1;
    this.redrawing = false;
    this.pending = "";
  }

  /** The current incomplete line, as a terminal would show it. */
  get partialLine(): string {
    return this.line;
  }

  private checkPrompt(events: ConsoleEvent[]): void {
    if (this.promptEnd >= 0 || !this.line.endsWith(PROMPT)) return;
    const before = this.line.slice(0, -PROMPT.length);
    if (!isPromptAfter(before)) return;
    this.promptEnd = this.line.length;
    events.push({ kind: "prompt", before, redraw: this.redrawing });
    this.redrawing = false;
  }

  private endLine(eol: string, events: ConsoleEvent[]): void {
    const line = this.line;
    const at = this.promptEnd < 0 ? line.search(LOG_HEADER) : -1;
    if (at >= 0) {
      const log = parseLogLine(line.slice(at));
      if (log) {
        events.push({ kind: "log", log });
        // Output printed before the log without a line end continues after it (§1.4: logs go between prints).
        this.line = line.slice(0, at);
        return;
      }
    }
    if (this.promptEnd >= 0) events.push({ kind: "input", text: line.slice(this.promptEnd) });
    else events.push({ kind: "output", text: line, eol });
    this.line = "";
    this.promptEnd = -1;
  }
}

/** A prompt starts a line, or follows one of the outputs without CRLF; `x> ` elsewhere is just text. */
function isPromptAfter(before: string): boolean {
  if (before === "") return true;
  if (LOG_HEADER.test(before)) return false;
  // Unknown no-CRLF outputs are sentences; help texts such as `<label_public> <label_private>` are not.
  return NO_NEWLINE_OUTPUTS.some((o) => before.endsWith(o)) || before.endsWith(".");
}
