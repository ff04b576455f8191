// What the simulated ST-LINK writes to FAIL.TXT. Only RESET_HALT_FAILED is a text seen on real boards
// (ST community threads); the others are INFERRED — the ST-LINK's own wording for a refused .bin is not
// documented — and carry the image check's reason so a human knows what to fix.
import type { ImageProblem } from "../../stm32-image/index.ts";

export const RESET_HALT_FAILED = "The interface firmware FAILED to reset/halt the target MCU";

export function failText(problem: ImageProblem | "HEX_UNSUPPORTED", reason: string): string {
  switch (problem) {
    case "IMAGE_TOO_LARGE":
      return `The file is too large for the target flash: ${reason}`; // INFERRED
    case "HEX_UNSUPPORTED":
      return `The hex file cannot be decoded: ${reason}`; // INFERRED (the real one decodes HEX)
    default:
      return `The file is not a valid application image for the target: ${reason}`; // INFERRED
  }
}
