// The lines a console has seen, numbered, so a wait can start from a mark taken before a command.
import type { LogLine } from "./log-line.ts";

export type LineKind = "log" | "output" | "input";

export interface SeenLine {
  /** Position in the console's history; `mark()` returns the next one. */
  seq: number;
  kind: LineKind;
  text: string;
  /** Epoch milliseconds when the line completed. */
  at: number;
  /** Set for log lines. */
  log?: LogLine;
}

/** Lines kept for late waits and error messages; older ones are forgotten. */
const KEEP = 5000;

export class LineHistory {
  private readonly lines: SeenLine[] = [];
  private nextSeq = 0;
  private readonly listeners = new Set<(line: SeenLine) => void>();

  add(kind: LineKind, text: string, log?: LogLine): SeenLine {
    const line: SeenLine = {
      seq: this.nextSeq++,
      kind,
      text,
      at: performance.timeOrigin + performance.now(),
    };
    if (log) line.log = log;
    this.lines.push(line);
    if (this.lines.length > KEEP) this.lines.splice(0, this.lines.length - KEEP);
    for (const listener of [...this.listeners]) listener(line);
    return line;
  }

  /** The sequence number the next line will get. */
  mark(): number {
    return this.nextSeq;
  }

  since(seq: number): SeenLine[] {
    return this.lines.filter((l) => l.seq >= seq);
  }

  /** The last `n` lines as text, logs included, for error messages. */
  last(n = 12): string[] {
    return this.lines.slice(-n).map((l) => (l.kind === "input" ? `> ${l.text}` : l.text));
  }

  subscribe(listener: (line: SeenLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
