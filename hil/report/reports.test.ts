// The report readers over one recorded event stream.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventLog } from "./event-log.ts";
import { parseEvents, type RunEvent } from "./events.ts";
import { writeReports } from "./write-reports.ts";

const EVENTS: RunEvent[] = [
  {
    type: "run-start",
    time: 1000,
    runId: "run-1",
    target: "local twin",
    boards: ["sim-1", "sim-2"],
    scenarios: ["a", "b"],
  },
  { type: "scenario-start", time: 1001, board: "sim-1", scenario: "mar-onboarding" },
  { type: "scenario-start", time: 1001, board: "sim-2", scenario: "wrong-root-ca" },
  { type: "step-start", time: 1002, board: "sim-1", scenario: "mar-onboarding", index: 0, step: "configure" },
  {
    type: "serial",
    time: 1003,
    board: "sim-1",
    direction: "rx",
    text: 'conf get\r\nthing_name="eval3-X"\r\n> \r\x1b[K<INF>     1400 [OTAUpdate ] Waiting. (x.c:1)\r\n> ',
  },
  {
    type: "serial",
    time: 1003,
    board: "sim-2",
    direction: "rx",
    text: "<ERR>    17000 [MQTTAgent ] Failed to perform TLS handshake & <more>\r\n",
  },
  {
    type: "step-end",
    time: 1500,
    board: "sim-1",
    scenario: "mar-onboarding",
    index: 0,
    step: "configure",
    durationMs: 498,
    verdict: "pass",
  },
  {
    type: "mqtt",
    time: 1600,
    board: "sim-1",
    topic: "eval3-X/mqtt_test",
    payload: '{"message": "Test message 1"}',
  },
  {
    type: "step-end",
    time: 1700,
    board: "sim-2",
    scenario: "wrong-root-ca",
    index: 0,
    step: "expect-connected",
    durationMs: 600,
    verdict: "fail",
    diagnosis: "no CONNACK within 60 s",
  },
  {
    type: "scenario-end",
    time: 1800,
    board: "sim-1",
    scenario: "mar-onboarding",
    verdict: "pass",
    durationMs: 799,
  },
  {
    type: "scenario-end",
    time: 1800,
    board: "sim-2",
    scenario: "wrong-root-ca",
    verdict: "fail",
    durationMs: 799,
    diagnosis: "no CONNACK within 60 s",
  },
  { type: "run-end", time: 1900, passed: 1, failed: 1, durationMs: 900 },
];

describe("reports", () => {
  it("writes NDJSON once and reads it back", () => {
    const dir = mkdtempSync(join(tmpdir(), "mar-hil-report-"));
    try {
      const log = new EventLog(join(dir, "events.ndjson"));
      const seen: RunEvent[] = [];
      log.subscribe((e) => seen.push(e));
      for (const e of EVENTS) log.emit(e);
      expect(parseEvents(readFileSync(join(dir, "events.ndjson"), "utf8"))).toEqual(EVENTS);
      expect(seen).toHaveLength(EVENTS.length);

      const run = writeReports(dir, EVENTS);
      expect(run.scenarios.map((s) => [s.board, s.scenario, s.verdict])).toEqual([
        ["sim-1", "mar-onboarding", "pass"],
        ["sim-2", "wrong-root-ca", "fail"],
      ]);
      const junit = readFileSync(join(dir, "junit.xml"), "utf8");
      expect(junit).toContain(
        '<testsuites name="mar-hil" tests="2" failures="1" errors="0" skipped="0" time="0.900">',
      );
      expect(junit).toContain(
        '<testcase classname="mar-hil.mar-onboarding" name="mar-onboarding [sim-1]" time="0.799">',
      );
      expect(junit).toContain('<failure message="no CONNACK within 60 s">');
      expect(junit).toContain("Failed to perform TLS handshake &amp; &lt;more&gt;");
      expect(junit).not.toContain("\x1b");
      const html = readFileSync(join(dir, "index.html"), "utf8");
      expect(html).toContain("mar-onboarding on sim-1");
      expect(html).toContain('<span class="log">&lt;INF&gt;     1400 [OTAUpdate ] Waiting. (x.c:1)</span>');
      expect(html).toContain("eval3-X/mqtt_test");
      expect(html).not.toMatch(/<script|https?:\/\//);
      expect(readFileSync(join(dir, "transcripts", "sim-1.txt"), "utf8")).toContain('thing_name="eval3-X"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
