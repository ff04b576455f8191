import { describe, expect, it } from "vitest";
import { checkImage } from "./check-image.ts";
import { FLASH_SIZE } from "./memory-map.ts";
import { markedProfile } from "./profile-marker.ts";
import { syntheticImage } from "./synthetic-image.ts";

describe("checkImage", () => {
  it("accepts a vector table with SP in SRAM and a Thumb reset vector inside the image", () => {
    const verdict = checkImage(syntheticImage({ profile: "reference" }));
    expect(verdict).toEqual({ ok: true, stackPointer: 0x200c0000, resetVector: 0x08000201, size: 4096 });
  });

  it("accepts SRAM4 as the stack and an image filling the whole flash", () => {
    expect(checkImage(syntheticImage({ stackPointer: 0x28004000, size: FLASH_SIZE })).ok).toBe(true);
  });

  it.each([
    ["empty", syntheticImage({ size: 0 }), "IMAGE_EMPTY", "the image is empty"],
    [
      "one byte too big",
      syntheticImage({ size: FLASH_SIZE + 1 }),
      "IMAGE_TOO_LARGE",
      "the flash holds 2097152",
    ],
    [
      "cut inside the vector table",
      syntheticImage({ size: 6 }),
      "IMAGE_TRUNCATED",
      "too short for a vector table",
    ],
    [
      "cut before its reset handler",
      syntheticImage({ size: 256 }),
      "IMAGE_TRUNCATED",
      "past the image's end",
    ],
    ["SP in flash", syntheticImage({ stackPointer: 0x08001000 }), "IMAGE_BAD_STACK_POINTER", "0x08001000"],
    [
      "SP at the bottom of SRAM",
      syntheticImage({ stackPointer: 0x20000000 }),
      "IMAGE_BAD_STACK_POINTER",
      "SRAM",
    ],
    [
      "SP not word-aligned",
      syntheticImage({ stackPointer: 0x200bfffe }),
      "IMAGE_BAD_STACK_POINTER",
      "word-aligned",
    ],
    [
      "reset vector without Thumb bit",
      syntheticImage({ resetVector: 0x08000200 }),
      "IMAGE_BAD_RESET_VECTOR",
      "Thumb",
    ],
    [
      "reset vector in SRAM",
      syntheticImage({ resetVector: 0x20000201 }),
      "IMAGE_BAD_RESET_VECTOR",
      "outside the flash",
    ],
    ["an erased image", Buffer.alloc(4096, 0xff), "IMAGE_BAD_STACK_POINTER", "0xFFFFFFFF"],
    [
      "an Intel HEX file",
      Buffer.from(":020000040800F2\n:10000000"),
      "IMAGE_BAD_STACK_POINTER",
      "not an STM32U5 image",
    ],
  ])("refuses an image %s", (_what, image, problem, reason) => {
    const verdict = checkImage(image);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.problem).toBe(problem);
    expect(verdict.reason).toContain(reason);
  });
});

describe("markedProfile", () => {
  it("reads the profile a synthetic image names, and nothing from an image without the marker", () => {
    expect(markedProfile(syntheticImage({ profile: "mar-2025-02" }))).toBe("mar-2025-02");
    expect(markedProfile(syntheticImage())).toBeUndefined();
    expect(markedProfile(Buffer.from("MAR-HIL-PROFILE=Bad Name;"))).toBeUndefined();
    expect(markedProfile(Buffer.from("MAR-HIL-PROFILE=unterminated"))).toBeUndefined();
  });
});
