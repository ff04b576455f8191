// The STM32U585AI's memory map as an application image sees it (RM0456 §2.3, non-secure aliases: the
// MAR firmware is a build without TrustZone, ota_pal_stm32u5_ntz.c).

export interface Range {
  start: number;
  /** First address past the range. */
  end: number;
}

export const FLASH_BASE = 0x0800_0000;
export const FLASH_SIZE = 2 * 1024 * 1024;
export const FLASH: Range = { start: FLASH_BASE, end: FLASH_BASE + FLASH_SIZE };

/** SRAM1–3 are contiguous (192 + 64 + 512 KB); SRAM4 (16 KB) sits apart in the SmartRun domain. */
export const SRAM: readonly Range[] = [
  { start: 0x2000_0000, end: 0x200c_0000 },
  { start: 0x2800_0000, end: 0x2800_4000 },
];

/**
 * A full-descending stack starts at the first address past its region, so the end of an SRAM range is
 * a valid initial stack pointer and its start is not.
 */
export function isStackTop(address: number): boolean {
  return SRAM.some((r) => address > r.start && address <= r.end);
}

export const hex32 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(8, "0")}`;
