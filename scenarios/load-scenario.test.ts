// Scenario files: the library is valid, and a bad file gets one line naming the step and the field.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadLibrary } from "./library.ts";
import { ScenarioError, validateScenario } from "./load-scenario.ts";

const invalid = (yaml: string): string => {
  try {
    validateScenario(parse(yaml), "bad.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error("expected the scenario to be refused");
};

describe("scenario files", () => {
  it("ships the eleven scenarios of the library, all valid", () => {
    const names = loadLibrary().map((s) => s.name);
    expect(names).toEqual([
      "broker-restart-reconnect",
      "config-survives-power-cycle",
      "inactive-certificate",
      "least-privilege-policy",
      "mar-account-move",
      "mar-onboarding",
      "reflash-keeps-secure-element",
      "revoked-certificate",
      "unregistered-certificate",
      "wrong-root-ca",
      "wrong-wifi-credential",
    ]);
    const onboarding = loadLibrary().find((s) => s.name === "mar-onboarding");
    expect(onboarding?.steps[0]).toEqual({
      kind: "configure",
      rootCa: "SFSRootCAG2.pem",
      account: undefined,
      endpoint: undefined,
      port: undefined,
      wifiSsid: undefined,
      wifiCredential: undefined,
    });
    expect(onboarding?.timeoutMs).toBe(180_000);
  });

  it("names the step and the field of a mistake, in one line", () => {
    const cases: Array<[string, string]> = [
      ["name: x\nsteps: []", "bad.yaml: field 'steps' must be a non-empty list"],
      ["name: Bad Name\nsteps: [reset]", "bad.yaml: field 'name' must be lower-case words joined by '-'"],
      ["name: x\nsteps: [reboot]", "bad.yaml: step 1: unknown step 'reboot' (known: "],
      [
        "name: x\nsteps:\n  - reset\n  - register: { acount: 1 }",
        "bad.yaml: step 2 (register): unknown field 'acount'",
      ],
      [
        "name: x\nsteps:\n  - expect-serial: { within: 3s }",
        "bad.yaml: step 1 (expect-serial): field 'pattern' is required",
      ],
      [
        "name: x\nsteps:\n  - expect-serial: { pattern: '(', within: 3s }",
        "bad.yaml: step 1 (expect-serial): field 'pattern' is not a valid regular expression",
      ],
      [
        "name: x\nsteps:\n  - expect-mqtt: { topic: t, within: soon }",
        "bad.yaml: step 1 (expect-mqtt): field 'within' must be a duration like 30s",
      ],
      [
        "name: x\nsteps:\n  - break: { what: everything }",
        "bad.yaml: step 1 (break): field 'what' must be one of wrong-root-ca,",
      ],
      [
        "name: x\nsteps:\n  - configure: { port: -1 }",
        "bad.yaml: step 1 (configure): field 'port' must be a whole number >= 0",
      ],
      [
        "name: x\ntimeout: forever\nsteps: [reset]",
        "bad.yaml: field 'timeout' must be a duration like 90s or 2m",
      ],
    ];
    for (const [yaml, message] of cases) {
      const got = invalid(yaml);
      expect(got.startsWith(message), `${got}`).toBe(true);
      expect(got).not.toContain("\n");
    }
  });
});
