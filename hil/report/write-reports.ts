// Writes the report folder of a run from its events: junit.xml, index.html and per-board transcripts.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunEvent } from "./events.ts";
import { htmlReport } from "./html.ts";
import { junitXml } from "./junit.ts";
import { foldResults, type RunResults } from "./results.ts";

export function writeReports(dir: string, events: readonly RunEvent[]): RunResults {
  const run = foldResults(events);
  mkdirSync(join(dir, "transcripts"), { recursive: true });
  writeFileSync(join(dir, "junit.xml"), junitXml(run));
  writeFileSync(join(dir, "index.html"), htmlReport(run));
  const perBoard = new Map<string, string[]>();
  for (const e of events) {
    // What the board printed; its echo already shows what was typed.
    if (e.type !== "serial" || e.direction !== "rx") continue;
    const lines = perBoard.get(e.board) ?? [];
    lines.push(e.text);
    perBoard.set(e.board, lines);
  }
  for (const [board, chunks] of perBoard)
    writeFileSync(join(dir, "transcripts", `${board}.txt`), chunks.join(""));
  return run;
}
