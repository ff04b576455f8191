// `mar-hil run`: the scenario library on simulated boards and the cloud twin (no arguments needed),
// with live progress, reports, and exit code 0 only when every scenario passed.
import { rmSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { newRunId } from "../../hil/aws/index.ts";
import { EventLog } from "../../hil/report/event-log.ts";
import { writeReports } from "../../hil/report/write-reports.ts";
import { compareRuns, formatFindings, loadRun } from "../../hil/report/compare.ts";
import type { Lab } from "../../hil/run/lab.ts";
import { runScenarios } from "../../hil/run/runner.ts";
import { PROFILES, profileNamed } from "../../simulator/firmware/profiles.ts";
import { loadLibrary } from "../../scenarios/library.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { DEFAULT_ACCESS_POINT } from "../../simulator/world/wifi.ts";
import { integerOption, numberOption, parseOptions } from "../args.ts";
import { liveTable, plainProgress } from "../progress.ts";
import { rackLab } from "../rack-lab.ts";
import { Simulation } from "../simulation.ts";
import { simulationLab } from "../simulation-lab.ts";
import { UsageError } from "../usage-error.ts";
import { runDir } from "./report.ts";

const HELP = `usage: mar-hil run [--boards N] [--scenario NAME]... [--link inproc|pty|tcp] [--time-scale X]
                   [--rack FILE] [--cloud local|aws] [--report DIR] [--json]

With no arguments: starts the cloud twin (two accounts) and 4 simulated boards, runs every scenario of
the library on them in parallel, shows progress, writes reports/<run id>/ (events.ndjson, junit.xml,
index.html, transcripts/) and exits 0 when all passed, 1 when one failed.

  --boards N         simulated boards (default 4)
  --scenario NAME    run only these scenarios (repeatable)
  --link KIND        how the runner reaches the simulated consoles (default inproc)
  --time-scale X     firmware time runs X times faster (default 20)
  --profile NAME     firmware the simulated boards run (mar-2025-02, reference)
  --report DIR       where reports go (default reports)
  --baseline DIR     an earlier run folder: report what changed and fail on regressions
  --rack FILE        racked boards instead of simulated ones (leased; Wi-Fi from MAR_HIL_WIFI_SSID and
                     MAR_HIL_WIFI_CREDENTIAL)
  --cloud aws|local  with --rack: AWS through the standard credential chain (default; a second account
                     for account moves from MAR_HIL_AWS_PROFILE_B), or the twin running on --state
  --json             the event stream on stdout, one JSON object per line`;

export async function run(argv: string[]): Promise<number> {
  const o = parseOptions(argv, {
    boards: { type: "string" },
    scenario: { type: "string", multiple: true },
    link: { type: "string" },
    "time-scale": { type: "string" },
    rack: { type: "string" },
    cloud: { type: "string" },
    report: { type: "string" },
    baseline: { type: "string" },
    profile: { type: "string" },
    state: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (o.cloud !== undefined && o.cloud !== "local" && o.cloud !== "aws") {
    throw new UsageError(`--cloud must be local or aws, got '${o.cloud}'`);
  }
  if (o.cloud === "aws" && !o.rack) {
    throw new UsageError("--cloud aws needs --rack FILE: simulated boards only reach the local twin");
  }
  const link = o.link ?? "inproc";
  if (link !== "inproc" && link !== "pty" && link !== "tcp")
    throw new UsageError(`--link must be inproc, pty or tcp, got '${link}'`);
  const library = loadLibrary();
  const wanted = o.scenario ?? [];
  const unknown = wanted.filter((n) => !library.some((s) => s.name === n));
  if (unknown.length)
    throw new UsageError(
      `unknown --scenario ${unknown.join(", ")}; known: ${library.map((s) => s.name).join(", ")}`,
    );
  const scenarios = wanted.length ? library.filter((s) => wanted.includes(s.name)) : library;
  const boards = integerOption(o.boards, "boards", 4, 1);
  if (o.profile !== undefined && !profileNamed(o.profile)) {
    throw new UsageError(`unknown --profile '${o.profile}'; known: ${Object.keys(PROFILES).join(", ")}`);
  }
  const baseline = o.baseline === undefined ? undefined : runDir(o.baseline);
  const timeScale = numberOption(o["time-scale"], "time-scale", 20);

  const runId = newRunId();
  const reportDir = resolve(o.report ?? "reports", runId);
  const events = new EventLog(join(reportDir, "events.ndjson"));
  if (o.json) events.subscribe((e) => process.stdout.write(`${JSON.stringify(e)}\n`));
  else
    events.subscribe(
      process.stderr.isTTY ? liveTable(process.stderr) : plainProgress((l) => process.stderr.write(`${l}\n`)),
    );

  const interrupted = new AbortController();
  const onSignal = (): void => interrupted.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let summary;
  try {
    const { lab, close } = o.rack
      ? await rackRun(
          o.rack,
          o.cloud === "local" ? "local" : "aws",
          o.state ?? ".mar-hil",
          interrupted.signal,
        )
      : await simulatedRun({ state: o.state, boards, link, timeScale, profile: o.profile });
    try {
      summary = await runScenarios({ lab, scenarios, events, runId, signal: interrupted.signal });
    } finally {
      await close();
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const results = writeReports(reportDir, events.events);
  const failures = results.scenarios.filter((s) => s.verdict !== "pass");
  const out = o.json ? process.stderr : process.stdout;
  out.write(
    `\n${summary.passed}/${results.scenarios.length} scenarios passed on ${summary.boards} boards — reports in ${reportDir}\n`,
  );
  for (const f of failures)
    out.write(`  ${f.verdict.toUpperCase()} ${f.scenario} on ${f.board}: ${f.diagnosis ?? "no diagnosis"}\n`);
  let regressed = false;
  if (baseline) {
    const findings = compareRuns(loadRun(baseline), events.events);
    out.write(`compared with ${baseline}:\n${formatFindings(findings)}`);
    regressed = findings.some((f) => f.regression);
  }
  return failures.length === 0 && !regressed && !interrupted.signal.aborted ? 0 : 1;
}

interface PreparedLab {
  lab: Lab;
  close(): Promise<void>;
}

/** The simulated lab: a fresh state per run unless one is given, so boards start factory-new. */
async function simulatedRun(o: {
  state?: string;
  boards: number;
  link: "inproc" | "pty" | "tcp";
  timeScale: number;
  profile?: string;
}): Promise<PreparedLab> {
  const stateDir = o.state ?? mkdtempSync(join(tmpdir(), "mar-hil-run-"));
  const wifi = { ssid: DEFAULT_ACCESS_POINT.ssid, credential: DEFAULT_ACCESS_POINT.credential };
  const sim = await Simulation.start({
    stateDir,
    boards: o.boards,
    link: o.link,
    clock: new SystemClock(o.timeScale),
    accessPoint: wifi,
    ...(o.profile ? { profile: o.profile } : {}),
  });
  return {
    lab: simulationLab(sim, { timeScale: o.timeScale, wifi }),
    close: async () => {
      await sim.close();
      if (!o.state) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function rackRun(
  file: string,
  cloud: "aws" | "local",
  stateDir: string,
  signal: AbortSignal,
): Promise<PreparedLab> {
  const { lab, release } = await rackLab({ file, cloud, stateDir, signal });
  return { lab, close: release };
}
