// The main job as a user runs it, and a run whose device misbehaves.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli-process.ts";
import { EventLog } from "../../hil/report/event-log.ts";
import { writeReports } from "../../hil/report/write-reports.ts";
import { runScenarios } from "../../hil/run/runner.ts";
import { validateScenario } from "../../scenarios/load-scenario.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { DEFAULT_ACCESS_POINT } from "../../simulator/world/wifi.ts";
import { Simulation } from "../../cli/simulation.ts";
import { simulationLab } from "../../cli/simulation-lab.ts";

describe("mar-hil run", () => {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-run-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs scenarios on simulated boards and writes reports without secrets", async () => {
    const reports = join(dir, "reports");
    const r = await runCli([
      "run",
      "--scenario",
      "mar-onboarding",
      "--scenario",
      "wrong-root-ca",
      "--boards",
      "2",
      "--report",
      reports,
    ]);
    expect(r.stdout).toMatch(/2\/2 scenarios passed on 2 boards — reports in /);
    expect(r.code).toBe(0);
    const [runDir] = readdirSync(reports);
    const base = join(reports, runDir as string);
    expect(readdirSync(base).sort()).toEqual(["events.ndjson", "index.html", "junit.xml", "transcripts"]);
    const junit = readFileSync(join(base, "junit.xml"), "utf8");
    expect(junit).toContain('tests="2" failures="0" errors="0"');
    expect(junit).toMatch(/<testcase classname="mar-hil.wrong-root-ca" name="wrong-root-ca \[sim-\d\]"/);
    const everything = [
      readFileSync(join(base, "events.ndjson"), "utf8"),
      junit,
      readFileSync(join(base, "index.html"), "utf8"),
      ...readdirSync(join(base, "transcripts")).map((f) =>
        readFileSync(join(base, "transcripts", f), "utf8"),
      ),
    ].join("\n");
    expect(everything).toContain("x509_verify_cert() returned -9984");
    expect(everything).not.toContain(DEFAULT_ACCESS_POINT.credential);
  }, 120_000);

  it("refuses unknown scenarios and options in one line, exit 2", async () => {
    const r = await runCli(["run", "--scenario", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mar-hil run: unknown --scenario nope; known: broker-restart-reconnect, /);
  });

  it("a board that does not do what the scenario expects fails the run with the diagnosis and transcript tail", async () => {
    const stateDir = join(dir, "state");
    const timeScale = 20;
    const wifi = { ...DEFAULT_ACCESS_POINT };
    const sim = await Simulation.start({
      stateDir,
      boards: 1,
      link: "inproc",
      clock: new SystemClock(timeScale),
      accessPoint: wifi,
    });
    try {
      const scenario = validateScenario(
        {
          name: "expects-the-impossible",
          steps: [
            { configure: {} },
            "reset",
            { "expect-serial": { pattern: "Firmware Version: +V9\\.9\\.9", within: "20s" } },
          ],
        },
        "impossible.yaml",
      );
      const events = new EventLog(undefined);
      const summary = await runScenarios({
        lab: simulationLab(sim, { timeScale, wifi }),
        scenarios: [scenario],
        events,
      });
      expect(summary.failed).toBe(1);
      const results = writeReports(join(dir, "failed"), events.events);
      const [only] = results.scenarios;
      expect(only?.verdict).toBe("fail");
      expect(only?.diagnosis).toMatch(/^step 3 \(expect-serial \/Firmware Version: \+V9\\\.9\\\.9\/\): /);
      const junit = readFileSync(join(dir, "failed", "junit.xml"), "utf8");
      expect(junit).toContain('failures="1"');
      expect(junit).toContain("Firmware Version:   V2.1.11");
    } finally {
      await sim.close();
    }
  }, 120_000);
});
