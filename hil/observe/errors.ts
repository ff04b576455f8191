// Errors of hil/observe with stable codes and a fault (style rule 6). A timeout names what was
// awaited, the elapsed time and what was seen instead (style rule 7).
import type { Fault } from "./types.ts";

export type ObserveErrorCode =
  | "OBSERVE_TIMEOUT"
  | "UNEXPECTED_DISCONNECT"
  | "OBSERVER_DISCONNECTED"
  | "OBSERVER_CONNECT_FAILED"
  | "OBSERVER_CLIENT_ID"
  | "SUBSCRIBE_REFUSED"
  | "ABORTED";

const FAULT: Record<ObserveErrorCode, Fault> = {
  OBSERVE_TIMEOUT: "device",
  UNEXPECTED_DISCONNECT: "device",
  OBSERVER_DISCONNECTED: "cloud",
  OBSERVER_CONNECT_FAILED: "harness",
  OBSERVER_CLIENT_ID: "user",
  SUBSCRIBE_REFUSED: "harness",
  ABORTED: "harness",
};

export interface ObserveErrorDetails {
  /** What the wait was for, e.g. "≥ 3 publications on eval3-…/mqtt_test". */
  awaited?: string;
  elapsedMs?: number;
  /** What arrived instead, most recent last. */
  seen?: string[];
  fault?: Fault;
  cause?: unknown;
}

export class ObserveError extends Error {
  override readonly name = "ObserveError";
  readonly fault: Fault;
  readonly awaited: string | undefined;
  readonly elapsedMs: number | undefined;
  readonly seen: string[];

  constructor(
    readonly code: ObserveErrorCode,
    message: string,
    details: ObserveErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.fault = details.fault ?? FAULT[code];
    this.awaited = details.awaited;
    this.elapsedMs = details.elapsedMs;
    this.seen = details.seen ?? [];
  }
}
