// Which firmware profile the board twin runs after an image is programmed: the shipped MAR binary by
// its md5, a synthetic test image by its marker (stm32-image/profile-marker.ts). Any other valid image
// runs the shipped MAR firmware: the twin knows how to be no other firmware, and that is the one the
// spec describes.
import { markedProfile, md5Hex, SHIPPED_MAR_MD5 } from "../../stm32-image/index.ts";
import { DEFAULT_PROFILE, profileNamed } from "../firmware/profiles.ts";

export interface ImageIdentity {
  profile: string;
  /** How the profile was chosen, for logs. */
  by: "md5" | "marker" | "default";
}

export function profileForImage(image: Uint8Array): ImageIdentity {
  if (md5Hex(image) === SHIPPED_MAR_MD5) return { profile: "mar-2025-02", by: "md5" };
  const marked = markedProfile(image);
  if (marked !== undefined && profileNamed(marked)) return { profile: marked, by: "marker" };
  return { profile: DEFAULT_PROFILE, by: "default" };
}
