// The run as an event stream (style.md rule 10): written once as NDJSON; JUnit, HTML and the terminal
// view are readers of it. Everything here is already redacted by its producer.

export type Verdict = "pass" | "fail" | "error" | "skip";

export type RunEvent =
  | { type: "run-start"; time: number; runId: string; target: string; boards: string[]; scenarios: string[] }
  | { type: "scenario-start"; time: number; board: string; scenario: string }
  | { type: "step-start"; time: number; board: string; scenario: string; index: number; step: string }
  | {
      type: "step-end";
      time: number;
      board: string;
      scenario: string;
      index: number;
      step: string;
      durationMs: number;
      verdict: Verdict;
      diagnosis?: string;
      /** Figures a step measured, e.g. boot-to-first-publish. */
      metrics?: Record<string, number>;
    }
  | { type: "serial"; time: number; board: string; direction: "rx" | "tx"; text: string }
  | { type: "log"; time: number; board: string; line: string }
  | { type: "mqtt"; time: number; board: string; topic: string; payload: string }
  | {
      type: "scenario-end";
      time: number;
      board: string;
      scenario: string;
      verdict: Verdict;
      durationMs: number;
      diagnosis?: string;
    }
  | { type: "run-end"; time: number; passed: number; failed: number; durationMs: number };

export interface EventSink {
  emit(event: RunEvent): void;
}

export function parseEvents(ndjson: string): RunEvent[] {
  return ndjson
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as RunEvent);
}
