// A swapped or re-provisioned board is caught before a test runs: what the board says (thing name from
// `conf get`, certificate from `pki export`) against what the rack expects.
import { IdentityMismatchError } from "./errors.ts";
import type { RackBoardEntry } from "./rack-file.ts";

export interface ObservedIdentity {
  thingName: string;
  /** SHA-256 of the device certificate's DER, hex (the AWS certificateId). */
  certificateFingerprint: string;
}

export function checkIdentity(entry: RackBoardEntry, seen: ObservedIdentity): void {
  const expected = entry.expect;
  if (!expected) return;
  if (expected.thingName !== undefined && expected.thingName !== seen.thingName) {
    throw new IdentityMismatchError(
      `${entry.id} (ST-LINK ${entry.stlinkSerial}) answers as thing ${seen.thingName}, the rack expects ${expected.thingName}: board swapped? fix rack.yaml's expect`,
    );
  }
  const fingerprint = seen.certificateFingerprint.replace(/:/g, "").toLowerCase();
  if (expected.certificateFingerprint !== undefined && expected.certificateFingerprint !== fingerprint) {
    throw new IdentityMismatchError(
      `${entry.id} (ST-LINK ${entry.stlinkSerial}) has certificate ${fingerprint.slice(0, 16)}…, the rack expects ${expected.certificateFingerprint.slice(0, 16)}…: board swapped or re-provisioned? fix rack.yaml's expect`,
    );
  }
}
