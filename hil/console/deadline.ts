// Every wait takes an AbortSignal and a deadline and says what it saw (style.md rule 7).
import { ExpectAbortedError, ExpectTimeoutError } from "./errors.ts";

export interface WaitOptions {
  /** Milliseconds from the start of the wait; the wait fails with EXPECT_TIMEOUT after it. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Waiter<T> {
  /** What is awaited, for the error message. */
  describe: string;
  /** The last lines seen, for the timeout error. */
  lastLines: () => readonly string[];
  /** Registers the completion callbacks; returns the function that unregisters them. */
  start: (resolve: (value: T) => void, reject: (error: unknown) => void) => () => void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Runs `waiter` until it settles, the deadline passes or the signal aborts, and always unregisters it. */
export function waitFor<T>(waiter: Waiter<T>, options: WaitOptions = {}): Promise<T> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const { signal } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(new ExpectAbortedError(waiter.describe, 0, signal.reason));
    let settled = false;
    let stop: (() => void) | undefined;
    const finish = (): void => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      stop?.();
    };
    const onAbort = (): void => {
      finish();
      reject(new ExpectAbortedError(waiter.describe, elapsed(), signal?.reason));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new ExpectTimeoutError(waiter.describe, elapsed(), waiter.lastLines()));
    }, timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    const unregister = waiter.start(
      (value) => {
        if (settled) return;
        finish();
        resolve(value);
      },
      (error) => {
        if (settled) return;
        finish();
        reject(error);
      },
    );
    // The waiter may have settled synchronously, before its unregister function existed.
    if (settled) unregister();
    else stop = unregister;
  });
}
