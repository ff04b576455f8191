// A port that vanished (USB re-enumeration after reset or flashing, a ser2net restart) is polled until
// it opens again, within a bounded wait that is reported either way.
import { ExpectAbortedError, PortNotBackError } from "./errors.ts";
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
