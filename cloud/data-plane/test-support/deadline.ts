// Test helper: wait on events, never on time. Each wait has a deadline and says what it was waiting for.
import type { EventEmitter } from "node:events";

export const DEADLINE_MS = 10_000;

export function withDeadline<T>(promise: Promise<T>, what: string, ms = DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`deadline of ${ms} ms passed waiting for ${what}`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** The first `event` whose arguments satisfy `match`. */
export function nextEvent<A extends unknown[]>(
  target: object,
  event: string,
  match: (...args: A) => boolean = () => true,
  what = `'${event}'`,
): Promise<A> {
  // Any Node-style emitter (mqtt.js clients type their events more narrowly than EventEmitter).
  const emitter = target as EventEmitter;
  return withDeadline(
    new Promise<A>((resolve) => {
      const listener = (...args: unknown[]): void => {
        if (!match(...(args as A))) return;
        emitter.off(event, listener);
        resolve(args as A);
      };
      emitter.on(event, listener);
    }),
    what,
  );
}
