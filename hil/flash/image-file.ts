// Reads a .bin and refuses it before anything touches a board (stm32-image rules).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { checkImage } from "../../stm32-image/index.ts";
import { ImageRejectedError } from "./errors.ts";
import type { FirmwareImage } from "./flasher.ts";

export async function loadImage(path: string): Promise<FirmwareImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new ImageRejectedError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const verdict = checkImage(bytes);
  if (!verdict.ok) throw new ImageRejectedError(`${path}: ${verdict.reason}; not flashed`);
  return { path, bytes, md5: createHash("md5").update(bytes).digest("hex") };
}
