// The boundary between the harness and whatever writes a board's flash (style.md rule 1): the
// ST-LINK drive, STM32CubeProgrammer, OpenOCD, pyOCD. No dependencies on purpose.

export type FlashMethod = "mass-storage" | "cubeprogrammer" | "openocd" | "pyocd";

export const FLASH_METHODS: readonly FlashMethod[] = ["mass-storage", "cubeprogrammer", "openocd", "pyocd"];

/** An image that passed the harness's check (hil/flash/image-file.ts). */
export interface FirmwareImage {
  path: string;
  bytes: Buffer;
  md5: string;
}

export interface FlashOptions {
  signal?: AbortSignal;
  /** Whole operation, tool or drive included. */
  timeoutMs?: number;
}

export interface FlashReport {
  method: FlashMethod;
  /** What was done, in one line (drive path, or the exact command line). */
  detail: string;
  elapsedMs: number;
}

export interface Flasher {
  readonly method: FlashMethod;
  /** Writes the image at the start of the flash and lets the MCU run it; rejects with a FlashError. */
  flash(image: FirmwareImage, options?: FlashOptions): Promise<FlashReport>;
}
