// Provisioning failures with stable codes; `fault` says whose it is (style rule 6).
import type { Fault } from "../aws/types.ts";

export type ProvisionErrorCode =
  | "CONFIG_INVALID"
  | "VALUE_REFUSED"
  | "ROOT_CA_REFUSED"
  | "ROOT_CA_MISMATCH"
  | "ECHO_MISMATCH"
  | "COMMIT_FAILED"
  | "IDENTITY_UNREADABLE";

export class ProvisionError extends Error {
  constructor(
    readonly code: ProvisionErrorCode,
    readonly fault: Fault,
    message: string,
  ) {
    super(message);
  }
}
