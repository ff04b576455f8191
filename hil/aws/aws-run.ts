// One run's cloud resources as a disposable (style rule 9): everything registered through it is
// removed on dispose — on success, failure and Ctrl-C alike — in reverse order of registration.
import type { IoTClient } from "@aws-sdk/client-iot";
import { cleanupRegistration } from "./cleanup.ts";
import { AwsError } from "./errors.ts";
import { cleanupPartialRegistration } from "./partial-cleanup.ts";
import { registerDevice } from "./register.ts";
import { checkRunId, newRunId } from "./run-id.ts";
import type { SettleOptions } from "./settle.ts";
import type { CleanupReport, DeviceIdentity, PolicyChoice, Registration } from "./types.ts";

export interface AwsRunOptions {
  runId?: string;
  now?: () => number;
  settle?: SettleOptions;
}

export class AwsRun implements AsyncDisposable {
  readonly runId: string;
  private readonly registrations: { iot: IoTClient; registration: Registration }[] = [];

  constructor(private readonly options: AwsRunOptions = {}) {
    this.runId = checkRunId(options.runId ?? newRunId(options.now));
  }

  /** Registers `device` in the account of `iot`, to be cleaned up with the run. */
  async register(iot: IoTClient, device: DeviceIdentity, policy?: PolicyChoice): Promise<Registration> {
    let registration: Registration;
    try {
      registration = await registerDevice(iot, device, {
        runId: this.runId,
        ...(policy ? { policy } : {}),
        ...(this.options.now ? { now: this.options.now } : {}),
      });
    } catch (e) {
      // Best effort at once; whatever remains carries the run id for the janitor.
      const policyName =
        policy?.kind === "document" ? policy.policyName : policy?.kind === "existing" ? false : undefined;
      await cleanupPartialRegistration(iot, device, this.runId, {
        ...(policyName !== undefined ? { policyName } : {}),
        ...(this.options.settle ? { settle: this.options.settle } : {}),
      }).catch(() => {});
      throw e;
    }
    this.track(iot, registration);
    return registration;
  }

  /** Takes over a registration made elsewhere (e.g. by an account move) for cleanup. */
  track(iot: IoTClient, registration: Registration): void {
    const known = this.registrations.some(
      (r) =>
        r.registration.accountId === registration.accountId &&
        r.registration.thingName === registration.thingName,
    );
    if (!known) this.registrations.push({ iot, registration });
  }

  /** Forgets a registration already removed (e.g. deregistered from the account a device left). */
  untrack(registration: Registration): void {
    const i = this.registrations.findIndex(
      (r) =>
        r.registration.accountId === registration.accountId &&
        r.registration.thingName === registration.thingName,
    );
    if (i >= 0) this.registrations.splice(i, 1);
  }

  /** Removes every tracked registration; all are attempted even when one fails. */
  async cleanup(): Promise<CleanupReport[]> {
    const reports: CleanupReport[] = [];
    const failures: unknown[] = [];
    while (this.registrations.length > 0) {
      const { iot, registration } = this.registrations.pop()!;
      try {
        reports.push(await cleanupRegistration(iot, registration, { settle: this.options.settle }));
      } catch (e) {
        failures.push(e);
      }
    }
    if (failures.length > 0) {
      throw new AwsError(
        "CLEANUP_INCOMPLETE",
        `cleanup of run ${this.runId} failed for ${failures.length} registration(s); 'janitor' with run id ${this.runId} removes the rest: ${failures.map((e) => (e as Error).message).join("; ")}`,
        { cause: failures.length === 1 ? failures[0] : new AggregateError(failures) },
      );
    }
    return reports;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.cleanup();
  }
}
