// AWS applies detaches asynchronously (aws-iot §3.3 DetachThingPrincipal, §3.4 DeletePolicy): a delete
// right after a detach can still see the attachment. Retry such a call a bounded number of times.
import { isNamed } from "./errors.ts";

export interface SettleOptions {
  /** Attempts in all (default 6: about 6 s of back-off in total). */
  attempts?: number;
  /** First back-off in ms, doubled each time (default 200). */
  backoffMs?: number;
  signal?: AbortSignal;
}

/** Runs `f`, retrying while it fails with one of `names` (and `also` holds); the last failure is rethrown. */
export async function settle<T>(
  names: string[],
  f: () => Promise<T>,
  options: SettleOptions = {},
  also: (e: unknown) => boolean = () => true,
): Promise<T> {
  const attempts = options.attempts ?? 6;
  let backoff = options.backoffMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await f();
    } catch (e) {
      if (attempt >= attempts || !isNamed(e, ...names) || !also(e)) throw e;
      options.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff *= 2;
    }
  }
}
