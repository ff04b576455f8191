// Every byte in and out of a console, timestamped, with secrets redacted before they are stored.
// Exported as NDJSON lines for reports (design: per-board serial transcripts).
import { StreamRedactor } from "./redactor.ts";

export type Direction = "tx" | "rx" | "event";

export interface TranscriptEntry {
  /** Epoch milliseconds (fractional) of the first byte of the entry. */
  at: number;
  /** `tx` harness → board, `rx` board → harness, `event` a link event (opened, closed, reopened). */
  dir: Direction;
  /** Bytes as latin1 text, redacted; for events a sentence. */
  data: string;
}

/** Wall-clock time with sub-millisecond resolution; the transcript's only clock. */
const epochNow = (): number => performance.timeOrigin + performance.now();

export class Transcript {
  private readonly stored: TranscriptEntry[] = [];
  private readonly secrets = new Set<string>();
  private readonly rx = new StreamRedactor(this.secrets);
  private readonly tx = new StreamRedactor(this.secrets);

  constructor(private readonly now: () => number = epochNow) {}

  /** A value that must never be stored, wherever it appears (e.g. a Wi-Fi credential the harness sends). */
  addSecret(value: string): void {
    // A very short value would blank unrelated text; the key-based rules still catch it in context.
    if (value.length >= 3) this.secrets.add(value);
  }

  record(dir: "tx" | "rx", bytes: Buffer | string): void {
    const text = typeof bytes === "string" ? bytes : bytes.toString("latin1");
    const redactor = dir === "rx" ? this.rx : this.tx;
    for (const s of redactor.push(text, this.now())) this.stored.push({ at: s.at, dir, data: s.text });
  }

  event(text: string): void {
    this.stored.push({ at: this.now(), dir: "event", data: text });
  }

  /** Everything so far, including bytes of a line not yet terminated (redacted conservatively). */
  entries(): TranscriptEntry[] {
    const all = [...this.stored];
    const rx = this.rx.peek();
    if (rx) all.push({ at: rx.at, dir: "rx", data: rx.text });
    const tx = this.tx.peek();
    if (tx) all.push({ at: tx.at, dir: "tx", data: tx.text });
    return all.sort((a, b) => a.at - b.at);
  }

  /** One JSON object per line: `{"at":…,"time":"ISO","dir":"rx","data":"…"}`. */
  toNdjson(): string {
    return this.entries()
      .map((e) => JSON.stringify({ at: e.at, time: new Date(e.at).toISOString(), dir: e.dir, data: e.data }))
      .map((l) => `${l}\n`)
      .join("");
  }
}
