// firmware-shell §6.1 "What follows" against the cloud twin: the board's shadow report, Device
// Defender report and OTA job request are answered by the twin's services as AWS answers them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OnlineLab } from "../support/online-lab.ts";

/** Waits until every needle is in the log since the reset; returns those still missing at the deadline. */
async function allLogged(lab: OnlineLab, needles: string[], deadlineMs: number): Promise<string[]> {
  const started = Date.now();
  for (;;) {
    const lines = lab.logLines();
    const missing = needles.filter((n) => !lines.some((l) => l.includes(n)));
    if (missing.length === 0 || Date.now() - started > deadlineMs) return missing;
    await lab.console.until(/\r\n/, deadlineMs).catch(() => undefined);
  }
}

describe("reserved-topic services answer the board (§6.1, §9.2, §9.3)", () => {
  let lab: OnlineLab;
  beforeEach(async () => {
    lab = await OnlineLab.start();
  });
  afterEach(async () => {
    await lab.close();
  });

  it("accepts the shadow report, the defender report and answers the job request with no job", async () => {
    await lab.configure();
    await lab.register();
    await lab.reset();
    const needles = [
      "Received accepted response for update with token",
      "Defender report accepted. (defender_task.c:735)",
      "No active job available in received job document: OtaJobParseErr_t=OtaJobParseErrNoActiveJobs",
    ];
    // The three tasks answer in no fixed order; wait until every line has been logged since the reset.
    const missing = await allLogged(lab, needles, 30_000);
    expect(missing, lab.logLines().slice(-30).join("\n")).toEqual([]);
    const published = /Publishing to \/update with following client token (\d+)\./.exec(
      lab.logLines().join("\n"),
    );
    expect(published?.[1], "the token the board published").toBeDefined();
    expect(lab.logLines().some((l) => l.includes(`update with token ${published?.[1]}. `))).toBe(true);
    const lines = lab.logLines();
    // The twin's answer carries the board's JSON back (state, metadata, version, clientToken).
    const payload = lines.find((l) => l.includes("/update/accepted JSON payload:")) ?? "";
    expect(payload).toMatch(/"state":\{"reported":\{"powerOn":0\}\}/);
    expect(payload).toMatch(/"metadata":\{"reported":\{"powerOn":\{"timestamp":\d+\}\}\}/);
    expect(payload).toMatch(/"version":\d+/);
    for (const failure of [
      "Timed out waiting for response to report.",
      "Defender report response not received.",
    ]) {
      expect(
        lines.some((l) => l.includes(failure)),
        failure,
      ).toBe(false);
    }
  });
});
