// AWS throttling during registration (aws-iot §6): the twin answers ThrottlingException (400) or a 5xx
// and the SDK's standard retry absorbs it; when it does not stop, the error says so with a stable code.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanupRegistration, iotClientFromEnv, registerDevice } from "./index.ts";
import { boardIdentity, startTwin, type TwinUnderTest } from "./test-support/twin.ts";

let t: TwinUnderTest;
beforeAll(async () => {
  t = await startTwin();
});
afterEach(() => t.twin.controlPlane.clearFaults());
afterAll(async () => {
  await t?.[Symbol.asyncDispose]();
});

describe("throttling during registration", () => {
  it("succeeds when RegisterCertificateWithoutCA is throttled twice: the SDK retried it", async () => {
    const iot = t.iot[0]!;
    const before = t.twin.controlPlane.calls("RegisterCertificateWithoutCA").length;
    t.twin.controlPlane.throttle({ operation: "RegisterCertificateWithoutCA", times: 2 });
    const r = await registerDevice(iot, boardIdentity("T1"), { runId: "run-throttled" });
    expect(r.reused.certificate).toBe(false);
    expect(t.twin.controlPlane.calls("RegisterCertificateWithoutCA").length - before).toBe(3);
    await cleanupRegistration(iot, r);
  });

  it("registers while every second call is throttled, and cleans up while every second call gets 503", async () => {
    const iot = t.iot[0]!;
    const board = boardIdentity("T2");
    const mark = t.twin.controlPlane.calls().length;
    t.twin.controlPlane.throttle({ share: 0.5 });
    const r = await registerDevice(iot, board, { runId: "run-throttled" });
    t.twin.controlPlane.clearFaults();
    t.twin.controlPlane.failWithServerErrors({ status: 503, share: 0.5 });
    const report = await cleanupRegistration(iot, r);
    const answered = t.twin.controlPlane.calls().slice(mark);
    expect(answered.filter((c) => c.errorType === "ThrottlingException").length).toBeGreaterThan(3);
    expect(answered.filter((c) => c.status === 503).length).toBeGreaterThan(3);
    expect(report.deletedThings).toEqual([board.thingName]);
    expect(report.deletedCertificates).toEqual([r.certificateArn]);
  });

  it("reports AWS_THROTTLED (fault: cloud) when throttling outlasts the SDK's attempts", async () => {
    const iot = iotClientFromEnv(t.accounts[0]!.env, { maxAttempts: 2 });
    t.twin.controlPlane.throttle({ operation: "RegisterCertificateWithoutCA" });
    await expect(registerDevice(iot, boardIdentity("T3"), { runId: "run-throttled" })).rejects.toMatchObject({
      code: "AWS_THROTTLED",
      fault: "cloud",
    });
    iot.destroy();
  });
});
