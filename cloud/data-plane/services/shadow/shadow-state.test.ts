// The shadow document algebra against the developer guide's examples (device-shadow-document).
import { describe, expect, it } from "vitest";
import { delta, mergeMetadata, mergeSection, pick } from "./shadow-state.ts";

describe("shadow state", () => {
  it("computes the nested delta down to the differing leaves", () => {
    const desired = { lights: { color: { r: 255, g: 255, b: 255 } } };
    const reported = { lights: { color: { r: 255, g: 0, b: 255 } } };
    expect(delta(desired, reported)).toEqual({ lights: { color: { g: 255 } } });
    expect(delta({ color: "RED", state: "STOP" }, { color: "GREEN", engine: "ON" })).toEqual({
      color: "RED",
      state: "STOP",
    });
    expect(delta({ a: 1 }, { a: 1, b: 2 })).toBeUndefined();
  });

  it("treats arrays as values: replaced whole, compared whole", () => {
    expect(mergeSection({ colors: ["RED", "GREEN", "BLUE"] }, { colors: ["RED"] })).toEqual({
      colors: ["RED"],
    });
    expect(delta({ colors: ["RED"] }, { colors: ["RED", "GREEN"] })).toEqual({ colors: ["RED"] });
  });

  it("removes fields set to null, and objects they leave empty", () => {
    expect(mergeSection({ a: 1, b: { c: 2 } }, { b: { c: null } })).toEqual({ a: 1 });
    expect(mergeSection({ a: 1 }, { a: null })).toBeUndefined();
  });

  it("keeps a timestamp per leaf and gives the delta the desired metadata", () => {
    const meta = mergeMetadata({ a: { timestamp: 1 } }, { b: { c: 5 } }, 2);
    expect(meta).toEqual({ a: { timestamp: 1 }, b: { c: { timestamp: 2 } } });
    expect(pick(meta, { b: { c: 5 } })).toEqual({ b: { c: { timestamp: 2 } } });
  });
});
