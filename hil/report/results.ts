// Board × scenario results folded from the event stream: what every report reader starts from.
import type { RunEvent, Verdict } from "./events.ts";

export interface StepResult {
  index: number;
  step: string;
  verdict: Verdict;
  durationMs: number;
  diagnosis?: string;
  metrics?: Record<string, number>;
}

export interface ScenarioResult {
  board: string;
  scenario: string;
  verdict: Verdict;
  durationMs: number;
  diagnosis?: string;
  steps: StepResult[];
  /** Console lines of this board during the scenario (redacted at the source). */
  serial: string[];
  logs: string[];
  mqtt: Array<{ time: number; topic: string; payload: string }>;
  startedAt: number;
}

export interface RunResults {
  runId: string;
  target: string;
  startedAt: number;
  durationMs: number;
  scenarios: ScenarioResult[];
}

export function foldResults(events: readonly RunEvent[]): RunResults {
  const run: RunResults = { runId: "", target: "", startedAt: 0, durationMs: 0, scenarios: [] };
  const open = new Map<string, ScenarioResult>();
  const current = (board: string): ScenarioResult | undefined => open.get(board);
  for (const e of events) {
    switch (e.type) {
      case "run-start":
        Object.assign(run, { runId: e.runId, target: e.target, startedAt: e.time });
        break;
      case "scenario-start": {
        const s: ScenarioResult = {
          board: e.board,
          scenario: e.scenario,
          verdict: "skip",
          durationMs: 0,
          steps: [],
          serial: [],
          logs: [],
          mqtt: [],
          startedAt: e.time,
        };
        open.set(e.board, s);
        run.scenarios.push(s);
        break;
      }
      case "step-end":
        current(e.board)?.steps.push({
          index: e.index,
          step: e.step,
          verdict: e.verdict,
          durationMs: e.durationMs,
          ...(e.diagnosis ? { diagnosis: e.diagnosis } : {}),
          ...(e.metrics ? { metrics: e.metrics } : {}),
        });
        break;
      case "serial":
        current(e.board)?.serial.push(e.text);
        break;
      case "log":
        current(e.board)?.logs.push(e.line);
        break;
      case "mqtt":
        current(e.board)?.mqtt.push({ time: e.time, topic: e.topic, payload: e.payload });
        break;
      case "scenario-end": {
        const s = current(e.board);
        if (s) Object.assign(s, { verdict: e.verdict, durationMs: e.durationMs, diagnosis: e.diagnosis });
        open.delete(e.board);
        break;
      }
      case "run-end":
        run.durationMs = e.durationMs;
        break;
      default:
        break;
    }
  }
  return run;
}
