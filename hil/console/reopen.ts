// A port that vanished (USB re-enumeration after reset or flashing, a ser2net restart) is polled until
// it opens again, within a bounded wait that is reported either way.
import { waitFor, type WaitOptions } from "./deadline.ts";
import { ExpectAbortedError, PortNotBackError, SerialDisconnectedError } from "./errors.ts";
import type { SerialLink } from "./serial-link.ts";

export interface ReopenOptions {
  /** How long the port may stay away. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Delay between attempts; doubles up to 1 s. Default 50 ms. */
  firstRetryMs?: number;
}

export interface ReopenReport {
  target: string;
  waitedMs: number;
  attempts: number;
}

export async function reopenWithin(link: SerialLink, options: ReopenOptions): Promise<ReopenReport> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  let retryMs = options.firstRetryMs ?? 50;
  let lastError: string | undefined;
  for (let attempts = 1; ; attempts++) {
    if (options.signal?.aborted) {
      throw new ExpectAbortedError(`${link.target} to come back`, elapsed(), options.signal.reason);
    }
    try {
      await link.open();
      return { target: link.target, waitedMs: elapsed(), attempts };
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    const left = options.timeoutMs - elapsed();
    if (left <= 0) throw new PortNotBackError(link.target, elapsed(), attempts, lastError);
    // Polling the OS for the port is the only way to learn it is back; each pause is bounded.
    await pause(Math.min(retryMs, left), options.signal);
    retryMs = Math.min(retryMs * 2, 1000);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Reopens a link each time it goes away unexpectedly, and lets waits follow the reopen in progress. */
export class Reconnector {
  /** Every time the port vanished and came back, with how long it took. */
  readonly reports: ReopenReport[] = [];
  private pending: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly link: SerialLink,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal,
    private readonly note: (text: string) => void,
    private readonly lastLines: () => readonly string[] = () => [],
  ) {}

  /** The link closed with an error: start polling for it, unless reopening is disabled or over. */
  start(): void {
    if (this.timeoutMs <= 0 || this.signal.aborted || this.pending) return;
    this.failure = undefined;
    const pending = reopenWithin(this.link, { timeoutMs: this.timeoutMs, signal: this.signal }).then(
      (report) => {
        this.reports.push(report);
        this.note(
          `reopened ${report.target} after ${Math.round(report.waitedMs)} ms (${report.attempts} attempts)`,
        );
        this.pending = undefined;
      },
      (e: unknown) => {
        this.failure = e instanceof Error ? e : new Error(String(e));
        this.note(`not reopened: ${this.failure.message}`);
        this.pending = undefined;
        throw this.failure;
      },
    );
    pending.catch(() => {});
    this.pending = pending;
  }

  /** Resolves when the link is open, following a reopen in progress within the caller's deadline. */
  whenOpen(options: WaitOptions = {}): Promise<void> {
    if (this.link.isOpen) return Promise.resolve();
    const pending = this.pending;
    if (!pending) {
      return Promise.reject(this.failure ?? new SerialDisconnectedError(`${this.link.target} is closed`));
    }
    return waitFor<void>(
      {
        describe: `${this.link.target} to come back`,
        lastLines: this.lastLines,
        start: (resolve, reject) => {
          let live = true;
          pending.then(
            () => live && resolve(),
            (e: unknown) => live && reject(e),
          );
          return () => (live = false);
        },
      },
      options,
    );
  }
}
