import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchesAction, matchesPattern } from "./pattern.ts";

const none = { get: () => undefined };

/** The IAM wildcard semantics written the obvious way, as the reference. */
function reference(pattern: string, value: string): boolean {
  const body = [...pattern]
    .map((c) =>
      c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${body}$`).test(value);
}

describe("policy wildcards (aws-iot §4.4)", () => {
  it("agree with a regular-expression reference on any pattern and value", () => {
    const pattern = fc.string({ unit: fc.constantFrom("a", "b", "/", "+", "#", "*", "?"), maxLength: 10 });
    const value = fc.string({ unit: fc.constantFrom("a", "b", "/", "+", "#", "*"), maxLength: 12 });
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        expect(matchesPattern(p, v, none)).toBe(reference(p, v));
      }),
      { numRuns: 2000 },
    );
  });

  it("substitutes variables as literals and fails on unresolved ones", () => {
    const vars = new Map([["iot:ClientId", "a*b"]]);
    expect(matchesPattern("client/${iot:ClientId}", "client/a*b", vars)).toBe(true);
    expect(matchesPattern("client/${iot:ClientId}", "client/axxb", vars)).toBe(false);
    expect(matchesPattern("client/${iot:Connection.Thing.ThingName}", "client/x", vars)).toBe(false);
    expect(matchesPattern("client/${iot:ClientId", "client/x", vars)).toBe(false);
  });

  it("compares actions case-insensitively", () => {
    expect(matchesAction("iot:*", "iot:Publish")).toBe(true);
    expect(matchesAction("IOT:PUB*", "iot:Publish")).toBe(true);
    expect(matchesAction("iot:Receive", "iot:Publish")).toBe(false);
  });
});
