// The account move MAR exists for (aws-iot §1.1, §1.2): the same certificate is registered in
// account B, the board is pointed at B's endpoint (SNI routes it there) and reset, and only once it
// is seen in B is it deregistered from A — so a failed move leaves the board reachable in A.
import type { IoTClient } from "@aws-sdk/client-iot";
import { cleanupRegistration } from "./cleanup.ts";
import { dataEndpoint } from "./client.ts";
import { AwsError } from "./errors.ts";
import { registerDevice, type RegisterOptions } from "./register.ts";
import type { BoardEndpointSwitch, CleanupReport, DeviceIdentity, Registration } from "./types.ts";

export interface MoveAccountOptions extends RegisterOptions {
  device: DeviceIdentity;
  /** Account A and the registration the device has there. */
  from: { iot: IoTClient; registration: Registration };
  /** Account B. */
  to: { iot: IoTClient };
  /** The board-side step: set the endpoint, commit, reset (hil/provision). */
  board: BoardEndpointSwitch;
  /** Resolves once the device is seen connected to B (an hil/observe assertion); skipped when absent. */
  confirmConnected?: (target: { endpoint: string; accountId: string }, signal: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

/** A move that failed after registering in B: `registration` is B's, for the caller to keep or clean up. */
export class AccountMoveError extends AwsError {
  constructor(
    message: string,
    readonly registration: Registration,
    cause: unknown,
  ) {
    super("ACCOUNT_MOVE_FAILED", message, { cause });
  }
}

export interface MoveResult {
  /** The device's registration in B. */
  registration: Registration;
  endpoint: string;
  /** What deregistering from A removed. */
  deregistered: CleanupReport;
}

export async function moveAccount(options: MoveAccountOptions): Promise<MoveResult> {
  const signal = options.signal ?? new AbortController().signal;
  const registration = await registerInAccount(options.to.iot, options.device, options);
  if (registration.accountId === options.from.registration.accountId) {
    throw new AwsError("ACCOUNT_MOVE_FAILED", `accounts A and B are the same (${registration.accountId})`, {
      fault: "user",
    });
  }
  const endpoint = await dataEndpoint(options.to.iot);
  const target = { endpoint, accountId: registration.accountId };
  signal.throwIfAborted();
  await options.board.pointAt(target, signal);
  if (options.confirmConnected) {
    try {
      await options.confirmConnected(target, signal);
    } catch (e) {
      throw new AccountMoveError(
        `the device was not seen connected to account ${registration.accountId} at ${endpoint}; it stays registered in both accounts: ${(e as Error).message}`,
        registration,
        e,
      );
    }
  }
  const deregistered = await deregisterFromAccount(options.from.iot, options.from.registration);
  return { registration, endpoint, deregistered };
}

/** Step 1 of a move: the same certificate in another account (a separate registry entry, aws-iot §1.3). */
export function registerInAccount(
  iot: IoTClient,
  device: DeviceIdentity,
  options: RegisterOptions,
): Promise<Registration> {
  return registerDevice(iot, device, options);
}

/** Last step of a move: remove the registration from the account the device left. */
export function deregisterFromAccount(iot: IoTClient, registration: Registration): Promise<CleanupReport> {
  return cleanupRegistration(iot, registration);
}
