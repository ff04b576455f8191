// Test control: make a chosen share of calls fail as AWS does under load — ThrottlingException
// (400, retried by the SDK by name, aws-iot §6) or a 5xx — deterministically, not at random.
import { IotException } from "../registry/iot-exception.ts";

export type FaultKind = "throttle" | "internal-failure" | "service-unavailable";

export interface FaultOptions {
  /** Share of matching calls that fail, 0..1: 0.5 fails every second call (default 1). */
  share?: number;
  /** Stop after this many injected failures (default: no limit). */
  times?: number;
  /** Only this operation, e.g. "RegisterCertificateWithoutCA" (default: all). */
  operation?: string;
}

interface Rule {
  kind: FaultKind;
  share: number;
  remaining: number;
  operation: string | undefined;
  credit: number;
}

export class FaultInjector {
  private rules: Rule[] = [];

  add(kind: FaultKind, options: FaultOptions = {}): void {
    const share = options.share ?? 1;
    if (!(share >= 0 && share <= 1)) throw new RangeError(`fault share must be within 0..1, got ${share}`);
    this.rules.push({
      kind,
      share,
      remaining: options.times ?? Infinity,
      operation: options.operation,
      credit: 0,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** The failure to answer this call with, if a rule picks it. */
  decide(operation: string): IotException | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || (rule.operation !== undefined && rule.operation !== operation)) continue;
      // Error diffusion: over n calls exactly floor(n * share) fail, spread evenly.
      rule.credit += rule.share;
      if (rule.credit < 1 - 1e-9) continue;
      rule.credit -= 1;
      rule.remaining -= 1;
      return failure(rule.kind);
    }
    return undefined;
  }
}

function failure(kind: FaultKind): IotException {
  switch (kind) {
    case "throttle":
      return new IotException("ThrottlingException", "Rate exceeded");
    case "internal-failure":
      return new IotException("InternalFailureException", "An internal failure occurred");
    case "service-unavailable":
      return new IotException("ServiceUnavailableException", "Service is unavailable");
  }
}
