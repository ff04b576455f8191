// What a scenario file says, once validated (scenarios/README.md describes the format).

export type Breakage =
  "wrong-root-ca" | "wrong-wifi-credential" | "deactivate-certificate" | "revoke-certificate" | "stop-broker";

export const BREAKAGES: readonly Breakage[] = [
  "wrong-root-ca",
  "wrong-wifi-credential",
  "deactivate-certificate",
  "revoke-certificate",
  "stop-broker",
];

export type Step =
  | { kind: "flash"; profile?: string; bin?: string }
  | {
      kind: "configure";
      rootCa?: string;
      account?: number;
      endpoint?: string;
      port?: number;
      wifiSsid?: string;
      wifiCredential?: string;
    }
  | { kind: "register"; account: number; policy?: string }
  | { kind: "reset" }
  | { kind: "power-cycle" }
  | { kind: "expect-serial"; pattern: RegExp; withinMs: number; absent: RegExp[] }
  | { kind: "expect-connected"; account: number; withinMs: number }
  | { kind: "expect-mqtt"; account: number; topic: string; count: number; withinMs: number; payload?: RegExp }
  | { kind: "expect-steady"; account: number; forMs: number }
  | { kind: "move-account"; to: number }
  | { kind: "break"; what: Breakage }
  | { kind: "fix"; what: Breakage }
  | { kind: "cleanup" };

export interface Scenario {
  name: string;
  description: string;
  /** A scenario that ends with the board failing the way the firmware fails, then recovering. */
  negative: boolean;
  timeoutMs: number;
  steps: Step[];
  file: string;
}
