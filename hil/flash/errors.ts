// Flashing errors: stable codes and a fault (style.md rule 6); only the CLI turns them into exit codes.
import type { Fault } from "../console/index.ts";

export abstract class FlashError extends Error {
  abstract readonly code: string;
  abstract readonly fault: Fault;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The image failed the check before flashing: not something to write to this board. */
export class ImageRejectedError extends FlashError {
  readonly code = "IMAGE_REJECTED";
  readonly fault = "user";
}

/** A flashing tool is not installed (or not on PATH); the message says what to install. */
export class ToolMissingError extends FlashError {
  readonly code = "FLASH_TOOL_MISSING";
  readonly fault = "harness";
}

/** The drive given or found is not a mounted ST-LINK drive. */
export class DriveNotFoundError extends FlashError {
  readonly code = "STLINK_DRIVE_NOT_FOUND";
  readonly fault = "harness";
}

/** The probe or the board refused the image: FAIL.TXT, or the tool's error. */
export class FlashFailedError extends FlashError {
  readonly code = "FLASH_FAILED";
  readonly fault = "device";
}

/** The drive did not remount, or the tool did not finish, within the deadline. */
export class FlashTimeoutError extends FlashError {
  readonly code = "FLASH_TIMEOUT";
  readonly fault = "device";
}

/** The caller's signal fired while flashing. */
export class FlashAbortedError extends FlashError {
  readonly code = "FLASH_ABORTED";
  readonly fault = "user";
}

/** After flashing, the board did not show its boot banner on the console. */
export class NoBootAfterFlashError extends FlashError {
  readonly code = "NO_BOOT_AFTER_FLASH";
  readonly fault = "device";
}

/** The probe tool could not reset the board (rack.yaml `reset: probe`). */
export class ProbeResetFailedError extends FlashError {
  readonly code = "PROBE_RESET_FAILED";
  readonly fault = "device";
}
