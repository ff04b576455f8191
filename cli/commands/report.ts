// `mar-hil report compare RUN_A RUN_B`: what changed between two runs (a release check).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { compareRuns, formatFindings, loadRun } from "../../hil/report/compare.ts";
import { UsageError } from "../usage-error.ts";

const HELP = `usage: mar-hil report compare RUN_A RUN_B

Compares two run folders (reports/<run id>/): step durations, log lines and command outputs that
appeared or vanished, published topics and payload shapes. Exit 1 when B regressed against A.`;

export function runDir(dir: string): string {
  if (!existsSync(join(dir, "events.ndjson")))
    throw new UsageError(`${dir} is not a run folder (no events.ndjson)`);
  return dir;
}

export async function report(argv: string[]): Promise<number> {
  const [verb, a, b, ...rest] = argv;
  if (verb === "--help" || verb === "-h") {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (verb !== "compare" || !a || !b || rest.length > 0)
    throw new UsageError("usage: mar-hil report compare RUN_A RUN_B");
  const findings = compareRuns(loadRun(runDir(a)), loadRun(runDir(b)));
  process.stdout.write(formatFindings(findings));
  return findings.some((f) => f.regression) ? 1 : 0;
}
