// What a person watching `mar-hil run` sees: a live board × step table on a terminal, plain lines in CI.
import type { RunEvent } from "../hil/report/events.ts";

const MARK = { pass: "ok  ", fail: "FAIL", error: "ERR ", skip: "skip" } as const;

export function plainProgress(write: (line: string) => void): (e: RunEvent) => void {
  return (e) => {
    if (e.type === "step-end") {
      write(
        `${MARK[e.verdict]} ${e.board} ${e.scenario} › ${e.step} (${e.durationMs} ms)${e.verdict === "pass" ? "" : ` — ${e.diagnosis ?? ""}`}`,
      );
    } else if (e.type === "scenario-end") {
      write(
        `${MARK[e.verdict]} ${e.board} ${e.scenario}: ${e.verdict.toUpperCase()} in ${(e.durationMs / 1000).toFixed(1)} s`,
      );
    }
  };
}

/** One row per board, redrawn in place: the scenario it runs and its current step. */
export function liveTable(stream: NodeJS.WriteStream): (e: RunEvent) => void {
  const rows = new Map<string, string>();
  const done: string[] = [];
  let drawn = 0;
  const draw = (): void => {
    const lines = [
      ...done.splice(0),
      ...[...rows.entries()].map(([board, state]) => `  ${board.padEnd(8)} ${state}`),
    ];
    stream.write(`${drawn ? `\x1b[${drawn}A\x1b[J` : ""}${lines.join("\n")}\n`);
    drawn = rows.size;
  };
  return (e) => {
    if (e.type === "step-start") rows.set(e.board, `${e.scenario.padEnd(30)} step ${e.index + 1}: ${e.step}`);
    else if (e.type === "scenario-end") {
      done.push(
        `${MARK[e.verdict]} ${e.board} ${e.scenario} (${(e.durationMs / 1000).toFixed(1)} s)${e.diagnosis ? ` — ${e.diagnosis}` : ""}`,
      );
      rows.set(e.board, "idle");
    } else return;
    draw();
  };
}
