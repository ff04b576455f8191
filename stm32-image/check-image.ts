// Is this a Cortex-M33 application for the STM32U585's flash? The vector table's first two words say
// it: word 0 is the initial stack pointer (must be in SRAM), word 1 the reset handler (in this image,
// with bit 0 set because Cortex-M only runs Thumb code).
import { FLASH, FLASH_BASE, FLASH_SIZE, hex32, isStackTop } from "./memory-map.ts";

export type ImageProblem =
  | "IMAGE_EMPTY"
  | "IMAGE_TOO_LARGE"
  | "IMAGE_TRUNCATED"
  | "IMAGE_BAD_STACK_POINTER"
  | "IMAGE_BAD_RESET_VECTOR";

export type ImageVerdict =
  | { ok: true; stackPointer: number; resetVector: number; size: number }
  | { ok: false; problem: ImageProblem; reason: string };

/** Initial SP and reset vector: the two words every Cortex-M image starts with. */
const VECTOR_HEAD_BYTES = 8;

export function checkImage(image: Uint8Array): ImageVerdict {
  const size = image.length;
  const fail = (problem: ImageProblem, reason: string): ImageVerdict => ({ ok: false, problem, reason });
  if (size === 0) return fail("IMAGE_EMPTY", "the image is empty");
  if (size > FLASH_SIZE) {
    return fail("IMAGE_TOO_LARGE", `the image is ${size} bytes; the flash holds ${FLASH_SIZE}`);
  }
  if (size < VECTOR_HEAD_BYTES) {
    return fail("IMAGE_TRUNCATED", `the image is ${size} bytes, too short for a vector table`);
  }
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const stackPointer = view.getUint32(0, true);
  const resetVector = view.getUint32(4, true);
  if (!isStackTop(stackPointer) || stackPointer % 4 !== 0) {
    return fail(
      "IMAGE_BAD_STACK_POINTER",
      `initial stack pointer ${hex32(stackPointer)} is not a word-aligned SRAM address (not an STM32U5 image?)`,
    );
  }
  if ((resetVector & 1) === 0) {
    return fail("IMAGE_BAD_RESET_VECTOR", `reset vector ${hex32(resetVector)} lacks the Thumb bit`);
  }
  const handler = resetVector & ~1;
  if (handler < FLASH.start || handler >= FLASH.end) {
    return fail(
      "IMAGE_BAD_RESET_VECTOR",
      `reset vector ${hex32(resetVector)} is outside the flash (${hex32(FLASH.start)}–${hex32(FLASH.end - 1)})`,
    );
  }
  // An image cut short keeps its vector table; its reset handler then points past its end.
  if (handler - FLASH_BASE >= size) {
    return fail(
      "IMAGE_TRUNCATED",
      `reset handler ${hex32(handler)} is past the image's end ${hex32(FLASH_BASE + size)} (truncated image?)`,
    );
  }
  return { ok: true, stackPointer, resetVector, size };
}
