// Jobs and Device Defender over MQTT as the STM32U5 firmware uses them (firmware-shell §9.2, §9.3):
// mqtt.js devices registered through @aws-sdk/client-iot against the cloud twin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsReport } from "../../../../simulator/firmware/tasks/defender.ts";
import { message, subscribed } from "../../test-support/mqtt-probe.ts";
import { ask, SdkLab } from "../../test-support/sdk-lab.ts";

let lab: SdkLab;
beforeAll(async () => {
  lab = await SdkLab.start();
});
afterAll(async () => {
  await lab?.[Symbol.asyncDispose]();
});

describe("Jobs device API with no jobs (aws-iot-docs jobs-mqtt-api)", () => {
  it("answers $next/get without an execution, get with empty lists, to the requester only", async () => {
    const thing = "eval3-jobs";
    const device = await lab.device(await lab.register(thing), thing);
    // The firmware's OTA filter (firmware-shell §9.2); an observer in the account subscribes too.
    await subscribed(device, "$aws/things/+/jobs/$next/get/#", 0);
    const anything = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "iot:*", Resource: "*" }],
    });
    const observer = await lab.device(await lab.register("observer-jobs", anything), "observer-jobs");
    const seenByObserver: string[] = [];
    observer.on("message", (topic) => seenByObserver.push(topic));
    await subscribed(observer, `$aws/things/${thing}/#`);

    const next = await ask(
      device,
      `$aws/things/${thing}/jobs/$next/get`,
      `$aws/things/${thing}/jobs/$next/get/accepted`,
      `{"clientToken":"18084:${thing}"}`,
    );
    expect(next).toEqual({ clientToken: `18084:${thing}`, timestamp: expect.any(Number) });
    // Answered although the device never subscribed to …/jobs/get/accepted: replies go to the requester.
    const pending = await ask(
      device,
      `$aws/things/${thing}/jobs/get`,
      `$aws/things/${thing}/jobs/get/accepted`,
      "{}",
    );
    expect(pending).toEqual({ inProgressJobs: [], queuedJobs: [], timestamp: expect.any(Number) });
    const bad = await ask(
      device,
      `$aws/things/${thing}/jobs/get`,
      `$aws/things/${thing}/jobs/get/rejected`,
      "{",
    );
    expect(bad).toMatchObject({ code: "InvalidJson" });
    const unknown = await ask(
      device,
      `$aws/things/${thing}/jobs/job-1/get`,
      `$aws/things/${thing}/jobs/job-1/get/rejected`,
      '{"clientToken":"d"}',
    );
    expect(unknown).toMatchObject({ code: "ResourceNotFound", clientToken: "d" });
    // Messages reach the observer in the broker's order: once this marker is in, a broadcast answer would be too.
    const marker = message(observer, `$aws/things/${thing}/marker`);
    await device.publishAsync(`$aws/things/${thing}/marker`, "after the requests", { qos: 1 });
    await marker;
    expect(seenByObserver.filter((t) => /\/(accepted|rejected)$/.test(t))).toEqual([]);
    expect(seenByObserver).toContain(`$aws/things/${thing}/jobs/$next/get`);
  });
});

describe("Device Defender metrics (aws-iot-docs DetectMetricsMessages)", () => {
  it("accepts the firmware's short-name CBOR report and rejects what does not parse", async () => {
    const thing = "eval3-defender";
    const device = await lab.device(await lab.register(thing), thing);
    const base = `$aws/things/${thing}/defender/metrics`;
    await subscribed(device, "$aws/things/+/defender/metrics/cbor/accepted");
    await subscribed(device, "$aws/things/+/defender/metrics/cbor/rejected");
    await subscribed(device, `${base}/json/accepted`);
    await subscribed(device, `${base}/json/rejected`);

    const accepted = await ask(device, `${base}/cbor`, `${base}/cbor/accepted`, metricsReport(18492, 18));
    expect(accepted).toMatchObject({ thingName: thing, reportId: 18492, status: "ACCEPTED" });
    const truncated = metricsReport(1, 1).subarray(0, 10);
    const rejected = await ask(device, `${base}/cbor`, `${base}/cbor/rejected`, truncated);
    expect(rejected).toMatchObject({ thingName: thing, status: "REJECTED" });
    const noHeader = await ask(device, `${base}/cbor`, `${base}/cbor/rejected`, Buffer.from([0xa0]));
    expect(noHeader).toMatchObject({ statusDetails: { ErrorMessage: "Missing header" } });

    const longNames = JSON.stringify({ header: { report_id: 7, version: "1.0" }, metrics: {} });
    expect(await ask(device, `${base}/json`, `${base}/json/accepted`, longNames)).toMatchObject({
      reportId: 7,
    });
    expect(await ask(device, `${base}/json`, `${base}/json/rejected`, "[]")).toMatchObject({
      status: "REJECTED",
    });
  });
});
