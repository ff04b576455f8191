// The payload shape matcher and the topic filter matcher, on the firmware's real payloads (firmware-shell §9.3).
import { describe, expect, it } from "vitest";
import { exactly, optional, payloadMismatches, shapeMismatches, type Shape } from "./shape.ts";
import { topicMatches } from "./topic-filter.ts";

const env: Shape = { temp_0_c: "number", rh_pct: "number", temp_1_c: "number", baro_mbar: "number" };
const xyz: Shape = { x: "integer", y: "integer", z: "integer" };

describe("shapeMismatches", () => {
  it("accepts the firmware's payloads", () => {
    expect(
      payloadMismatches(Buffer.from('{"message": "Test message 12"}'), { message: /^Test message \d+$/ }),
    ).toEqual([]);
    const envPayload =
      '{ "temp_0_c": 25.320000, "rh_pct": 41.500000, "temp_1_c": 24.870001, "baro_mbar": 1012.340027 }';
    expect(payloadMismatches(Buffer.from(envPayload), env)).toEqual([]);
    const motion =
      '{"acceleration_mG":{"x": 956,"y": 164,"z": -89},"gyro_mDPS":{"x": 8,"y": 304,"z": 647},"magnetometer_mGauss":{"x": -517,"y": 194,"z": -921}}';
    expect(
      payloadMismatches(Buffer.from(motion), {
        acceleration_mG: xyz,
        gyro_mDPS: xyz,
        magnetometer_mGauss: xyz,
      }),
    ).toEqual([]);
    // The shadow report carries the C string terminator.
    const shadow = Buffer.from('{"state":{"reported":{"powerOn":0}},"clientToken":"018498"}\0');
    expect(
      payloadMismatches(shadow, { state: { reported: { powerOn: exactly(0) } }, clientToken: /^\d+$/ }),
    ).toEqual([]);
  });

  it("names every mismatch with its path", () => {
    expect(
      shapeMismatches({ a: 1, b: [1, "x"], c: null }, { a: "string", b: ["integer"], c: "null", d: "any" }),
    ).toEqual(["$.a: expected string, got 1", '$.b[1]: expected integer, got "x"', "$.d: missing"]);
    expect(shapeMismatches({}, { d: optional("string") })).toEqual([]);
    expect(shapeMismatches({ d: 3 }, { d: optional("string") })).toEqual(["$.d: expected string, got 3"]);
    expect(shapeMismatches("Test message", /^x/)).toEqual([
      '$: expected a string matching /^x/, got "Test message"',
    ]);
    expect(payloadMismatches(Buffer.from("{oops"), "any")[0]).toMatch(/^\$: not JSON/);
  });
});

describe("topicMatches", () => {
  it("follows MQTT wildcards, AWS's parent rule for # and the $ rule", () => {
    expect(topicMatches("eval3-x/#", "eval3-x/mqtt_test")).toBe(true);
    expect(topicMatches("eval3-x/#", "eval3-x")).toBe(false);
    expect(topicMatches("$aws/events/presence/+/eval3-x", "$aws/events/presence/connected/eval3-x")).toBe(
      true,
    );
    expect(topicMatches("#", "$aws/events/presence/connected/eval3-x")).toBe(false);
    expect(topicMatches("+/mqtt_test", "eval3-x/mqtt_test")).toBe(true);
    expect(topicMatches("a/b", "a/b/c")).toBe(false);
  });
});
