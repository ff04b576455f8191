// One waiting primitive for every assertion (style rule 7): re-check on each change, stop at the
// deadline or on cancel, and say what was awaited, how long it took and what was seen.
import { ObserveError } from "./errors.ts";

export type Outcome<T> = { value: T } | { error: ObserveError };

export interface WaitSpec<T> {
  /** What is awaited, for messages. */
  what: string;
  within: number;
  signal?: AbortSignal;
  /** Settles the wait, or undefined to keep waiting; called at once and after every change. */
  check: () => Outcome<T> | undefined;
  /** The outcome when the deadline passes (a timeout for most waits, success for "nothing happened"). */
  atDeadline: (elapsedMs: number) => Outcome<T>;
  /** Registers for change notifications; returns the unregister function. */
  subscribe: (onChange: () => void) => () => void;
  now: () => number;
}

export function waitFor<T>(spec: WaitSpec<T>): Promise<T> {
  const started = spec.now();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: Outcome<T>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      spec.signal?.removeEventListener("abort", onAbort);
      if ("error" in outcome) reject(outcome.error);
      else resolve(outcome.value);
    };
    const evaluate = (): void => {
      const outcome = spec.check();
      if (outcome) settle(outcome);
    };
    const onAbort = (): void => {
      const elapsedMs = spec.now() - started;
      settle({
        error: new ObserveError("ABORTED", `cancelled after ${elapsedMs} ms waiting for ${spec.what}`, {
          awaited: spec.what,
          elapsedMs,
          cause: spec.signal?.reason,
        }),
      });
    };
    const timer = setTimeout(() => settle(spec.atDeadline(spec.now() - started)), spec.within);
    const unsubscribe = spec.subscribe(evaluate);
    if (spec.signal?.aborted) return onAbort();
    spec.signal?.addEventListener("abort", onAbort, { once: true });
    evaluate();
  });
}

/** The timeout error of a positive wait. */
export function timeout(what: string, elapsedMs: number, seen: string[]): { error: ObserveError } {
  const saw = seen.length === 0 ? "nothing" : seen.join("; ");
  return {
    error: new ObserveError(
      "OBSERVE_TIMEOUT",
      `timed out after ${elapsedMs} ms waiting for ${what}; saw ${saw}`,
      {
        awaited: what,
        elapsedMs,
        seen,
      },
    ),
  };
}
