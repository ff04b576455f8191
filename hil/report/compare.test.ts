// A release check between two firmware builds of the twin that differ (firmware-shell §0).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../cli/simulation.ts";
import { simulationLab } from "../../cli/simulation-lab.ts";
import { validateScenario } from "../../scenarios/load-scenario.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { DEFAULT_ACCESS_POINT } from "../../simulator/world/wifi.ts";
import { runScenarios } from "../run/runner.ts";
import { compareRuns, normaliseLine } from "./compare.ts";
import { EventLog } from "./event-log.ts";
import type { RunEvent } from "./events.ts";

async function runWith(profile: string): Promise<RunEvent[]> {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-compare-"));
  const timeScale = 20;
  const wifi = { ...DEFAULT_ACCESS_POINT };
  const sim = await Simulation.start({
    stateDir: dir,
    boards: 1,
    link: "inproc",
    clock: new SystemClock(timeScale),
    accessPoint: wifi,
    profile,
  });
  try {
    const events = new EventLog(undefined);
    // Reset from an idle console, so that no boot log is still queued ahead of what `reset` prints.
    const scenarios = [
      validateScenario(
        {
          name: "reset-twice",
          steps: [
            { configure: {} },
            "reset",
            { "expect-serial": { pattern: "Waiting until MQTT Agent is connected", within: "10s" } },
            "reset",
            { "expect-serial": { pattern: "HW Init Complete", within: "10s" } },
          ],
        },
        "reset-twice.yaml",
      ),
    ];
    const summary = await runScenarios({ lab: simulationLab(sim, { timeScale, wifi }), scenarios, events });
    expect(summary.passed).toBe(1);
    return events.events;
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("report compare", () => {
  it("normalises what differs by nature: ticks, ids, thing names, numbers", () => {
    expect(
      normaliseLine(
        "<INF>    17774 [PubSub    ] Subscribed to topic eval3-02090046215AD42AC2013/mqtt_test. (pub_sub_test_task.c:251)",
      ),
    ).toBe("<INF> [PubSub    ] Subscribed to topic {thing}/mqtt_test. (pub_sub_test_task.c:#)");
  });

  it("finds nothing between two runs of the same firmware, and the differences of another build", async () => {
    const shipped = await runWith("mar-2025-02");
    const again = await runWith("mar-2025-02");
    const reference = await runWith("reference");
    expect(compareRuns(shipped, again).filter((f) => f.regression)).toEqual([]);
    const changes = compareRuns(shipped, reference);
    // The reference build logs before it resets (vDoSystemReset), the shipped one does not.
    expect(changes.some((f) => f.detail.includes("System Reset in progress."))).toBe(true);
    // And back: the shipped build lacks that line — a console behaviour that vanished.
    expect(
      compareRuns(reference, shipped).some(
        (f) => f.kind === "log-missing" && f.detail.includes("System Reset in progress."),
      ),
    ).toBe(true);
  }, 120_000);
});
