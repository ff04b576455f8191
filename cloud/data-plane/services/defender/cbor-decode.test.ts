// The CBOR reader against RFC 8949 Appendix A examples, the firmware's report, and malformed input.
import { describe, expect, it } from "vitest";
import { metricsReport } from "../../../../simulator/firmware/tasks/defender.ts";
import { CborError, decodeCbor } from "./cbor-decode.ts";

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ""), "hex");

describe("decodeCbor (RFC 8949)", () => {
  it("reads the Appendix A examples", () => {
    expect(decodeCbor(hex("00"))).toBe(0);
    expect(decodeCbor(hex("17"))).toBe(23);
    expect(decodeCbor(hex("1818"))).toBe(24);
    expect(decodeCbor(hex("1a000f4240"))).toBe(1000000);
    expect(decodeCbor(hex("1bffffffffffffffff"))).toBe(18446744073709551615n);
    expect(decodeCbor(hex("20"))).toBe(-1);
    expect(decodeCbor(hex("3903e7"))).toBe(-1000);
    expect(decodeCbor(hex("f93e00"))).toBe(1.5);
    expect(decodeCbor(hex("fb3ff199999999999a"))).toBe(1.1);
    expect(decodeCbor(hex("f4"))).toBe(false);
    expect(decodeCbor(hex("f6"))).toBe(null);
    expect(decodeCbor(hex("6449455446"))).toBe("IETF");
    expect(decodeCbor(hex("4401020304"))).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(decodeCbor(hex("8301820203820405"))).toEqual([1, [2, 3], [4, 5]]);
    expect(decodeCbor(hex("a201020304"))).toEqual(
      new Map([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(decodeCbor(hex("9f018202039f0405ffff"))).toEqual([1, [2, 3], [4, 5]]);
    expect(decodeCbor(hex("7f657374726561646d696e67ff"))).toBe("streaming");
    expect(decodeCbor(hex("c074323031332d30332d32315432303a30343a30305a"))).toEqual({
      tag: 0,
      value: "2013-03-21T20:04:00Z",
    });
  });

  it("reads the firmware's Device Defender report (short names)", () => {
    const report = decodeCbor(metricsReport(18492, 18)) as Map<string, Map<string, unknown>>;
    expect(report.get("hed")).toEqual(
      new Map<string, unknown>([
        ["rid", 18492],
        ["v", "1.0"],
      ]),
    );
    expect((report.get("met")?.get("ns") as Map<string, number>).get("bi")).toBe(1452 * 18);
  });

  it("throws CborError, never anything else, on malformed input", () => {
    const bad = ["", "18", "1c", "ff", "00 00", "62 61", "7f 01 ff", "bf 01 ff", "62 c3 28", "9f".repeat(40)];
    for (const b of bad) expect(() => decodeCbor(hex(b)), b).toThrow(CborError);
    expect(() => decodeCbor(hex("5a ffffffff"))).toThrow(CborError);
  });
});
