// Expectations: console lines in order (with lines that must not appear meanwhile), the board seen
// connected, its publications, and a quiet period without disconnection.
import type { Step } from "../../scenarios/scenario.ts";
import type { ScenarioRun } from "./scenario-run.ts";

export async function expectSerial(
  run: ScenarioRun,
  step: Extract<Step, { kind: "expect-serial" }>,
): Promise<string> {
  const result = await run.console.expect(step.pattern, {
    since: run.serialCursor,
    forbid: step.absent,
    timeoutMs: run.scaled(step.withinMs),
    signal: run.signal,
  });
  run.serialCursor = result.line.seq + 1;
  return result.line.text.replace(/^<[A-Z]{3}> +\d+ /, "").slice(0, 160);
}

export async function expectConnected(
  run: ScenarioRun,
  step: Extract<Step, { kind: "expect-connected" }>,
): Promise<string> {
  const observer = await run.observer(step.account);
  const event = await observer.expectConnected(run.thingName, {
    within: run.scaled(step.withinMs),
    since: run.connectCursor.get(step.account) ?? 0,
    signal: run.signal,
  });
  return `connected as ${event.clientId}`;
}

export async function expectMqtt(
  run: ScenarioRun,
  step: Extract<Step, { kind: "expect-mqtt" }>,
): Promise<string> {
  const observer = await run.observer(step.account);
  const topic = step.topic.replaceAll("{thing}", run.thingName);
  const seen = await observer.expectPublications(topic, {
    within: run.scaled(step.withinMs),
    atLeast: step.count,
    since: run.connectCursor.get(step.account) ?? 0,
    signal: run.signal,
  });
  for (const m of seen) run.emitMqtt(m.topic, m.payload, m.receivedAt);
  const bad = step.payload ? seen.find((m) => !step.payload?.test(m.payload.toString("utf8"))) : undefined;
  if (bad)
    throw new PayloadMismatchError(
      `payload on ${bad.topic} does not match ${step.payload}: ${bad.payload.toString("utf8").slice(0, 120)}`,
    );
  return `${seen.length} publication(s) on ${topic}`;
}

export async function expectSteady(
  run: ScenarioRun,
  step: Extract<Step, { kind: "expect-steady" }>,
): Promise<string> {
  const observer = await run.observer(step.account);
  await observer.expectNoDisconnect(run.thingName, { for: run.scaled(step.forMs), signal: run.signal });
  return `no disconnection for ${step.forMs / 1000} s of firmware time`;
}

export class PayloadMismatchError extends Error {
  readonly code = "PAYLOAD_MISMATCH";
  readonly fault = "device";
}
