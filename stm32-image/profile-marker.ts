// Which firmware an image is. The shipped MAR binary is known by its md5 (firmware-shell, Target);
// synthetic test images name a board-twin profile with an ASCII marker anywhere after the vector table:
//   MAR-HIL-PROFILE=<name>;
import { createHash } from "node:crypto";

export const SHIPPED_MAR_MD5 = "d2785ecbd1dc0cc112d4244c5db9df7d";
export const PROFILE_MARKER = "MAR-HIL-PROFILE=";

export function md5Hex(image: Uint8Array): string {
  return createHash("md5").update(image).digest("hex");
}

/** The profile named by the marker, or undefined when the image has none. */
export function markedProfile(image: Uint8Array): string | undefined {
  const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  const at = bytes.indexOf(PROFILE_MARKER, 0, "latin1");
  if (at < 0) return undefined;
  const start = at + PROFILE_MARKER.length;
  const end = bytes.indexOf(";", start, "latin1");
  if (end < 0 || end - start > 64) return undefined;
  const name = bytes.toString("latin1", start, end);
  return /^[a-z0-9][a-z0-9.-]*$/.test(name) ? name : undefined;
}
