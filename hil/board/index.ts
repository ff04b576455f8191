// hil/board — racks: inventory (rack.yaml), discovery on USB, leases, power and reset, identity checks.
export { loadRack, validateRack, type RackBoardEntry, type RackConfig } from "./rack-file.ts";
export { Rack, RackBoard, type AcquireOptions, type RackOptions } from "./rack.ts";
export {
  discover,
  findStlinks,
  type DiscoveredBoard,
  type Discovery,
  type ProposedEntry,
} from "./discover.ts";
export {
  ST_VENDOR_ID,
  type StlinkDevice,
  type UsbDrive,
  type UsbPort,
  type UsbSnapshot,
  type UsbSource,
} from "./usb-listing.ts";
export { systemUsb } from "./system-usb.ts";
export { fileUsb } from "./file-usb.ts";
export { Lease, type LeaseOptions, type LeaseRecord } from "./lease.ts";
export type { PowerSwitch } from "./power-switch.ts";
export { HookPowerSwitch } from "./hook-power.ts";
export { checkIdentity, type ObservedIdentity } from "./identity-check.ts";
export { clearQuarantine, quarantine, quarantined, type QuarantineRecord } from "./quarantine.ts";
export { recoverOrQuarantine, type RecoveryOutcome, type RecoveryTarget } from "./recovery.ts";
export {
  BoardBusyError,
  BoardError,
  BoardNotConnectedError,
  BoardQuarantinedError,
  BoardUnknownError,
  IdentityMismatchError,
  LeaseLostError,
  PowerHookFailedError,
  RackInvalidError,
  UsbListingUnavailableError,
} from "./errors.ts";
