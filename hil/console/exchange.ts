// One line sent and answered (§1.2–§1.4): match the echo, then collect output until the next prompt.
// Log lines are set aside; prompts redrawn after a log and Ctrl-C's empty lines are not the answer.
import type { ConsoleEvent } from "./console-parser.ts";
import { EchoMismatchError } from "./errors.ts";
import type { LogLine } from "./log-line.ts";

export interface Reply {
  /** The line sent. */
  sent: string;
  /** The output exactly as printed (terminators kept), without log lines, echo or prompt. */
  text: string;
  /** The output's lines without terminators; the unterminated tail (§1.2) is the last one. */
  lines: string[];
  /** The output ended without CRLF and the prompt followed on the same line (§1.2). */
  unterminated: boolean;
  /** Log lines that arrived between sending and the prompt. */
  logs: LogLine[];
  elapsedMs: number;
}

export type ExchangeStep = { done: Reply } | { error: Error } | undefined;

export class Exchange {
  private phase: "echo" | "reply" = "echo";
  private text = "";
  private readonly lines: string[] = [];
  private readonly logs: LogLine[] = [];
  private readonly started = performance.now();

  constructor(readonly sent: string) {}

  /** What is still awaited, for timeout messages. */
  get awaiting(): string {
    return this.phase === "echo"
      ? `echo of ${JSON.stringify(this.sent)}`
      : `prompt after the reply to ${JSON.stringify(this.sent)}`;
  }

  step(event: ConsoleEvent): ExchangeStep {
    if (event.kind === "log") {
      this.logs.push(event.log);
      return undefined;
    }
    if (this.phase === "echo") {
      if (event.kind !== "input" || event.text === "") return undefined;
      if (event.text !== this.sent) return { error: new EchoMismatchError(this.sent, event.text) };
      this.phase = "reply";
      return undefined;
    }
    if (event.kind === "output") {
      this.text += event.text + event.eol;
      this.lines.push(event.text);
      return undefined;
    }
    if (event.kind !== "prompt" || event.redraw) return undefined;
    if (event.before !== "") {
      this.text += event.before;
      this.lines.push(event.before);
    }
    return {
      done: {
        sent: this.sent,
        text: this.text,
        lines: this.lines,
        unterminated: event.before !== "",
        logs: this.logs,
        elapsedMs: performance.now() - this.started,
      },
    };
  }
}
