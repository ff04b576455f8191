// A run: every scenario on the first free board (each board held by one scenario at a time), in
// parallel across boards, as one event stream.
import type { Scenario } from "../../scenarios/scenario.ts";
import { newRunId } from "../aws/index.ts";
import { BoardConsole } from "../console/index.ts";
import type { EventSink, Verdict } from "../report/events.ts";
import type { BoardHandle, Lab } from "./lab.ts";
import { runScenario } from "./run-scenario.ts";

function breaksSharedCloud(s: Scenario): boolean {
  return s.steps.some((step) => step.kind === "break" && step.what === "stop-broker");
}

export interface RunSummary {
  runId: string;
  boards: number;
  passed: number;
  failed: number;
  verdicts: Array<{ board: string; scenario: string; verdict: Verdict }>;
}

export async function runScenarios(o: {
  lab: Lab;
  scenarios: Scenario[];
  events: EventSink;
  runId?: string;
  signal?: AbortSignal;
}): Promise<RunSummary> {
  const runId = o.runId ?? newRunId();
  const started = Date.now();
  o.events.emit({
    type: "run-start",
    time: started,
    runId,
    target: o.lab.target,
    boards: o.lab.boards.map((b) => b.id),
    scenarios: o.scenarios.map((s) => s.name),
  });
  const verdicts: RunSummary["verdicts"] = [];
  const consoles = new Map<BoardHandle, Promise<BoardConsole>>();
  const consoleOf = (board: BoardHandle): Promise<BoardConsole> => {
    let c = consoles.get(board);
    if (!c)
      consoles.set(
        board,
        (c = BoardConsole.open(board.console, board.serial ? { serial: board.serial } : {})),
      );
    return c;
  };
  const drain = async (queue: Scenario[], boards: BoardHandle[]): Promise<void> => {
    const worker = async (board: BoardHandle): Promise<void> => {
      for (let scenario = queue.shift(); scenario; scenario = queue.shift()) {
        if (o.signal?.aborted) break;
        const console = await consoleOf(board);
        const verdict = await runScenario({ runId, lab: o.lab, board, console, scenario, events: o.events });
        verdicts.push({ board: board.id, scenario: scenario.name, verdict });
      }
    };
    await Promise.all(boards.map(worker));
  };
  try {
    // A scenario that breaks the shared cloud (the broker) would break its neighbours: it runs alone.
    await drain(
      o.scenarios.filter((s) => !breaksSharedCloud(s)),
      o.lab.boards,
    );
    await drain(o.scenarios.filter(breaksSharedCloud), o.lab.boards.slice(0, 1));
  } finally {
    for (const c of consoles.values()) await (await c.catch(() => undefined))?.close();
  }
  const passed = verdicts.filter((v) => v.verdict === "pass").length;
  const failed = verdicts.length - passed;
  o.events.emit({ type: "run-end", time: Date.now(), passed, failed, durationMs: Date.now() - started });
  return { runId, boards: o.lab.boards.length, passed, failed, verdicts };
}
