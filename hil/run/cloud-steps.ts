// Steps that act on the cloud: register, move account, certificate status, broker, cleanup.
import { UpdateCertificateCommand } from "@aws-sdk/client-iot";
import {
  cleanupRegistration,
  moveAccount,
  newRunId,
  registerDevice,
  type Registration,
} from "../aws/index.ts";
import { consoleEndpointSwitch, readIdentity } from "../provision/index.ts";
import type { Step } from "../../scenarios/scenario.ts";
import { StepUnsupportedError } from "./board-steps.ts";
import type { ScenarioRun } from "./scenario-run.ts";

async function identity(run: ScenarioRun) {
  run.identity ??= await readIdentity(run.console, { timeoutMs: 30_000, signal: run.signal });
  return run.identity;
}

export async function register(run: ScenarioRun, step: Extract<Step, { kind: "register" }>): Promise<string> {
  const device = await identity(run);
  await (await run.observer(step.account)).watchDevice(device.thingName, { within: 10_000 });
  const registration = await registerDevice(run.account(step.account).iot, device, {
    runId: run.runId,
    ...(step.policy && step.policy !== "least-privilege"
      ? { policy: { kind: "existing" as const, policyName: step.policy } }
      : {}),
  });
  run.registrations.push({ account: step.account, registration });
  return `certificate ${registration.certificateId.slice(0, 12)}… ACTIVE, thing ${registration.thingName}, policy ${registration.policyName}`;
}

function registrationIn(run: ScenarioRun, account: number): Registration {
  const r = run.registrations.find((x) => x.account === account);
  if (!r) throw new Error(`nothing registered in account ${account} yet`);
  return r.registration;
}

export async function move(run: ScenarioRun, step: Extract<Step, { kind: "move-account" }>): Promise<string> {
  const fromIndex = run.registrations[run.registrations.length - 1]?.account ?? 0;
  const from = registrationIn(run, fromIndex);
  const observer = await run.observer(step.to);
  await observer.watchDevice(run.thingName, { within: 10_000 });
  await run.markConnections();
  const result = await moveAccount({
    runId: run.runId,
    device: await identity(run),
    from: { iot: run.account(fromIndex).iot, registration: from },
    to: { iot: run.account(step.to).iot },
    board: consoleEndpointSwitch(run.console),
    signal: run.signal,
  });
  run.registrations.splice(
    run.registrations.findIndex((x) => x.registration === from),
    1,
  );
  run.registrations.push({ account: step.to, registration: result.registration });
  return `registered in ${result.registration.accountId}, board pointed at ${result.endpoint}, deregistered from ${from.accountId}`;
}

export async function certificateStatus(
  run: ScenarioRun,
  status: "ACTIVE" | "INACTIVE" | "REVOKED",
): Promise<string> {
  const { account, registration } = run.registrations[run.registrations.length - 1] ?? {};
  if (!registration || account === undefined) throw new Error("no certificate registered yet");
  await run
    .account(account)
    .iot.send(new UpdateCertificateCommand({ certificateId: registration.certificateId, newStatus: status }));
  return `certificate set ${status}`;
}

export async function stopBroker(run: ScenarioRun): Promise<string> {
  if (!run.lab.stopBroker) throw new StepUnsupportedError("only the cloud twin's broker can be stopped");
  await run.lab.stopBroker();
  await run.replaceObservers();
  // Re-watch the board before it reconnects, so its presence is seen.
  for (const { account } of run.registrations)
    await (await run.observer(account)).watchDevice(run.thingName, { within: 10_000 });
  return "broker dropped every connection and came back";
}

/** Runs whatever happened before: every registration of the scenario is removed. */
export async function cleanup(run: ScenarioRun): Promise<string> {
  const removed: string[] = [];
  for (const { account, registration } of run.registrations.splice(0)) {
    const report = await cleanupRegistration(run.account(account).iot, registration);
    removed.push(...report.deletedThings, ...report.deletedCertificates.map((c) => c.slice(0, 12)));
  }
  return removed.length ? `removed ${removed.join(", ")}` : "nothing to remove";
}

export { newRunId };
