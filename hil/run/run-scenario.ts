// One scenario on one board: its steps in order, each timed and reported; cleanup always runs.
import type { Scenario, Step } from "../../scenarios/scenario.ts";
import type { BoardConsole } from "../console/index.ts";
import type { EventSink, Verdict } from "../report/events.ts";
import {
  breakOnBoard,
  configure,
  fixOnBoard,
  flash,
  powerCycle,
  reset,
  StepUnsupportedError,
} from "./board-steps.ts";
import { certificateStatus, cleanup, move, register, stopBroker } from "./cloud-steps.ts";
import { expectConnected, expectMqtt, expectSerial, expectSteady } from "./expect-steps.ts";
import type { BoardHandle, Lab } from "./lab.ts";
import { ScenarioRun } from "./scenario-run.ts";

function execute(run: ScenarioRun, step: Step): Promise<string> {
  switch (step.kind) {
    case "configure":
      return configure(run, step);
    case "register":
      return register(run, step);
    case "reset":
      return reset(run);
    case "power-cycle":
      return powerCycle(run);
    case "flash":
      return flash(run, step);
    case "expect-serial":
      return expectSerial(run, step);
    case "expect-connected":
      return expectConnected(run, step);
    case "expect-mqtt":
      return expectMqtt(run, step);
    case "expect-steady":
      return expectSteady(run, step);
    case "move-account":
      return move(run, step);
    case "break":
    case "fix":
      return breakOrFix(run, step.kind, step.what);
    case "cleanup":
      return cleanup(run);
  }
}

function breakOrFix(run: ScenarioRun, kind: "break" | "fix", what: Extract<Step, { kind: "break" }>["what"]) {
  switch (what) {
    case "wrong-root-ca":
    case "wrong-wifi-credential":
      return kind === "break" ? breakOnBoard(run, what) : fixOnBoard(run, what);
    case "deactivate-certificate":
      return certificateStatus(run, kind === "break" ? "INACTIVE" : "ACTIVE");
    case "revoke-certificate":
      if (kind === "fix")
        throw new StepUnsupportedError("a revoked certificate cannot be activated again (aws-iot §1.4)");
      return certificateStatus(run, "REVOKED");
    case "stop-broker":
      return kind === "break" ? stopBroker(run) : Promise.resolve("nothing to fix: the broker came back");
  }
}

export function stepLabel(step: Step): string {
  switch (step.kind) {
    case "break":
    case "fix":
      return `${step.kind} ${step.what}`;
    case "expect-serial":
      return `expect-serial /${step.pattern.source}/`;
    case "expect-mqtt":
      return `expect-mqtt ${step.topic}`;
    case "move-account":
      return `move-account → ${step.to}`;
    default:
      return step.kind;
  }
}

/** A failure's verdict: the board or the cloud misbehaved (fail), or the harness/lab could not do it (error). */
function verdictOf(e: unknown): Verdict {
  const fault = (e as { fault?: string }).fault;
  return fault === "device" || fault === "cloud" ? "fail" : "error";
}

const oneLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";

export async function runScenario(o: {
  runId: string;
  lab: Lab;
  board: BoardHandle;
  console: BoardConsole;
  scenario: Scenario;
  events: EventSink;
}): Promise<Verdict> {
  const { events, board, scenario } = o;
  const started = Date.now();
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new Error(`scenario timeout ${scenario.timeoutMs / 1000} s`)),
    Math.max(5000, scenario.timeoutMs / o.lab.timeScale),
  );
  const transcriptFrom = o.console.transcript.entries().length;
  const stopLogs = o.console.onLog((log) =>
    events.emit({ type: "log", time: Date.now(), board: board.id, line: log.raw ?? String(log) }),
  );
  events.emit({ type: "scenario-start", time: started, board: board.id, scenario: scenario.name });
  let verdict: Verdict = "pass";
  let diagnosis: string | undefined;
  const run = new ScenarioRun(o.runId, o.lab, board, o.console, events, scenario.name, timeout.signal);
  try {
    for (const [index, step] of scenario.steps.entries()) {
      const label = stepLabel(step);
      const t0 = Date.now();
      events.emit({
        type: "step-start",
        time: t0,
        board: board.id,
        scenario: scenario.name,
        index,
        step: label,
      });
      const ended = (stepVerdict: Verdict, said: string): void =>
        events.emit({
          type: "step-end",
          time: Date.now(),
          board: board.id,
          scenario: scenario.name,
          index,
          step: label,
          durationMs: Date.now() - t0,
          verdict: stepVerdict,
          diagnosis: said,
        });
      try {
        ended("pass", await execute(run, step));
      } catch (e) {
        verdict = verdictOf(e);
        diagnosis = `step ${index + 1} (${label}): ${oneLine(e)}`;
        ended(verdict, oneLine(e));
        break;
      }
    }
  } finally {
    clearTimeout(timer);
    // Whatever happened, nothing the scenario registered stays behind.
    await cleanup(run).catch((e: unknown) => {
      if (verdict === "pass") [verdict, diagnosis] = ["error", `cleanup: ${oneLine(e)}`];
    });
    await run[Symbol.asyncDispose]();
    stopLogs();
    for (const entry of o.console.transcript.entries().slice(transcriptFrom)) {
      if (entry.dir === "rx" || entry.dir === "tx") {
        events.emit({
          type: "serial",
          time: entry.at,
          board: board.id,
          direction: entry.dir,
          text: entry.data,
        });
      }
    }
  }
  events.emit({
    type: "scenario-end",
    time: Date.now(),
    board: board.id,
    scenario: scenario.name,
    verdict,
    durationMs: Date.now() - started,
    ...(diagnosis ? { diagnosis } : {}),
  });
  return verdict;
}
