// stm32-image — the image rules shared by the harness and the simulated ST-LINK.
export { checkImage, type ImageProblem, type ImageVerdict } from "./check-image.ts";
export { FLASH, FLASH_BASE, FLASH_SIZE, SRAM, hex32, isStackTop, type Range } from "./memory-map.ts";
export { markedProfile, md5Hex, PROFILE_MARKER, SHIPPED_MAR_MD5 } from "./profile-marker.ts";
export { syntheticImage, type SyntheticImageOptions } from "./synthetic-image.ts";
