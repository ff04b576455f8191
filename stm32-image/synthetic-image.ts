// Small application images for tests: a vector table, a reset handler that spins, the profile marker,
// padding. Every field can be set wrong on purpose.
import { FLASH_BASE } from "./memory-map.ts";
import { PROFILE_MARKER } from "./profile-marker.ts";

export interface SyntheticImageOptions {
  /** Board-twin profile named by the marker; none when omitted. */
  profile?: string;
  /** Total size in bytes (default 4096). */
  size?: number;
  /** Default: the top of SRAM3. */
  stackPointer?: number;
  /** Default: just past a 0x200-byte vector table, with the Thumb bit. */
  resetVector?: number;
}

/** `b .` in Thumb: a reset handler that loops forever. */
const THUMB_BRANCH_TO_SELF = [0xfe, 0xe7];
const VECTOR_TABLE_BYTES = 0x200;

export function syntheticImage(o: SyntheticImageOptions = {}): Buffer {
  const size = o.size ?? 4096;
  const image = Buffer.alloc(Math.max(size, VECTOR_TABLE_BYTES + 2), 0xff);
  image.writeUInt32LE(o.stackPointer ?? 0x200c_0000, 0);
  image.writeUInt32LE(o.resetVector ?? (FLASH_BASE + VECTOR_TABLE_BYTES) | 1, 4);
  image.set(THUMB_BRANCH_TO_SELF, VECTOR_TABLE_BYTES);
  if (o.profile !== undefined)
    image.write(`${PROFILE_MARKER}${o.profile};`, VECTOR_TABLE_BYTES + 4, "latin1");
  return image.subarray(0, size);
}
