// Rack and board errors: stable codes and a fault (style.md rule 6); only the CLI maps them to exit codes.
import type { Fault } from "../console/index.ts";

export abstract class BoardError extends Error {
  abstract readonly code: string;
  abstract readonly fault: Fault;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** rack.yaml is missing, is not YAML, or a field is wrong; the message names the field. */
export class RackInvalidError extends BoardError {
  readonly code = "RACK_INVALID";
  readonly fault = "user";
}

export class BoardUnknownError extends BoardError {
  readonly code = "BOARD_UNKNOWN";
  readonly fault = "user";
}

/** Another run holds the board's lease. */
export class BoardBusyError extends BoardError {
  readonly code = "BOARD_BUSY";
  readonly fault = "harness";
}

/** The lease was taken over (it expired) or its lock file vanished while the board was in use. */
export class LeaseLostError extends BoardError {
  readonly code = "LEASE_LOST";
  readonly fault = "harness";
}

/** The board's ST-LINK is not in the USB listing, or lacks the tty or drive the operation needs. */
export class BoardNotConnectedError extends BoardError {
  readonly code = "BOARD_NOT_CONNECTED";
  readonly fault = "harness";
}

/** The board answers with another identity than the rack expects: swapped or re-provisioned. */
export class IdentityMismatchError extends BoardError {
  readonly code = "IDENTITY_MISMATCH";
  readonly fault = "user";
}

/** The board stopped answering, a power cycle did not bring it back; it is out of use until cleared. */
export class BoardQuarantinedError extends BoardError {
  readonly code = "BOARD_QUARANTINED";
  readonly fault = "device";
}

/** The rack's power or reset hook command failed. */
export class PowerHookFailedError extends BoardError {
  readonly code = "POWER_HOOK_FAILED";
  readonly fault = "harness";
}

/** The host's USB cannot be listed (no udev on Linux): discovery needs it or MAR_HIL_USB_LISTING. */
export class UsbListingUnavailableError extends BoardError {
  readonly code = "USB_LISTING_UNAVAILABLE";
  readonly fault = "harness";
}
