// The Device Shadow service as a device sees it: mqtt.js with a certificate registered through
// @aws-sdk/client-iot, on the classic shadow topics (aws-iot-docs device-shadow-mqtt).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { message, subscribed } from "../../test-support/mqtt-probe.ts";
import { ask, SdkLab, thingPolicy } from "../../test-support/sdk-lab.ts";

let lab: SdkLab;
beforeAll(async () => {
  lab = await SdkLab.start();
});
afterAll(async () => {
  await lab?.[Symbol.asyncDispose]();
});

describe("classic Device Shadow over MQTT", () => {
  it("accepts the firmware's report with its trailing NUL and answers state, metadata, version, timestamp, clientToken", async () => {
    const thing = "eval3-shadow-report";
    const device = await lab.device(await lab.register(thing), thing);
    const base = `$aws/things/${thing}/shadow`;
    for (const t of ["update/accepted", "update/rejected", "update/documents", "update/delta"])
      await subscribed(device, `${base}/${t}`);
    const report = Buffer.from('{"state":{"reported":{"powerOn":0}},"clientToken":"018498"}\0', "latin1");
    const documents = message(device, `${base}/update/documents`);
    const accepted = await ask(device, `${base}/update`, `${base}/update/accepted`, report);
    expect(accepted).toEqual({
      state: { reported: { powerOn: 0 } },
      metadata: { reported: { powerOn: { timestamp: expect.any(Number) } } },
      version: 1,
      timestamp: expect.any(Number),
      clientToken: "018498",
    });
    const doc = JSON.parse((await documents).payload.toString()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      previous: null,
      current: { state: { reported: { powerOn: 0 } }, version: 1 },
      clientToken: "018498",
    });
  });

  it("publishes a delta when desired differs from reported, and get returns the whole document", async () => {
    const thing = "eval3-shadow-delta";
    const device = await lab.device(await lab.register(thing), thing);
    const base = `$aws/things/${thing}/shadow`;
    for (const t of ["update/accepted", "update/delta", "get/accepted"])
      await subscribed(device, `${base}/${t}`);
    await ask(
      device,
      `${base}/update`,
      `${base}/update/accepted`,
      '{"state":{"reported":{"powerOn":0,"led":"off"}}}',
    );
    const delta = await ask(
      device,
      `${base}/update`,
      `${base}/update/delta`,
      '{"state":{"desired":{"powerOn":1,"led":"off"}},"clientToken":"c-2"}',
    );
    expect(delta).toMatchObject({ state: { powerOn: 1 }, version: 2, clientToken: "c-2" });
    expect(delta.metadata).toEqual({ powerOn: { timestamp: expect.any(Number) } });
    const got = await ask(device, `${base}/get`, `${base}/get/accepted`, '{"clientToken":"g-1"}');
    expect(got).toMatchObject({
      state: {
        desired: { powerOn: 1, led: "off" },
        reported: { powerOn: 0, led: "off" },
        delta: { powerOn: 1 },
      },
      version: 2,
      clientToken: "g-1",
    });
  });

  it("rejects what AWS rejects with its codes and messages, and the session stays up", async () => {
    const thing = "eval3-shadow-rejected";
    const device = await lab.device(await lab.register(thing), thing);
    const base = `$aws/things/${thing}/shadow`;
    await subscribed(device, `${base}/update/rejected`);
    await subscribed(device, `${base}/get/rejected`);
    const reject = (payload: string) => ask(device, `${base}/update`, `${base}/update/rejected`, payload);
    expect(await reject("{not json")).toEqual({
      code: 400,
      message: "Invalid JSON",
      timestamp: expect.any(Number),
    });
    expect(await reject('{"clientToken":"t"}')).toMatchObject({
      code: 400,
      message: "Missing required node: state",
      clientToken: "t",
    });
    expect(await reject('{"state":{"desired":1}}')).toMatchObject({
      message: "Desired node must be an object",
    });
    expect(await reject('{"state":{"delta":{}}}')).toMatchObject({
      message: "State contains an invalid node",
    });
    expect(await reject(`{"state":{},"clientToken":"${"x".repeat(65)}"}`)).toMatchObject({
      message: "Invalid clientToken",
    });
    const missing = await ask(device, `${base}/get`, `${base}/get/rejected`, "");
    expect(missing).toMatchObject({ code: 404, message: `No shadow exists with name: '${thing}'` });
    expect(device.connected).toBe(true);
  });

  it("refuses a stale version with 409 and keeps the version across delete", async () => {
    const thing = "eval3-shadow-version";
    const device = await lab.device(await lab.register(thing), thing);
    const base = `$aws/things/${thing}/shadow`;
    for (const t of ["update/accepted", "update/rejected", "delete/accepted", "get/rejected"])
      await subscribed(device, `${base}/${t}`);
    await ask(device, `${base}/update`, `${base}/update/accepted`, '{"state":{"reported":{"a":1}}}');
    const conflict = await ask(
      device,
      `${base}/update`,
      `${base}/update/rejected`,
      '{"state":{"reported":{"a":2}},"version":7}',
    );
    expect(conflict).toMatchObject({ code: 409, message: "Version conflict" });
    const deleted = await ask(device, `${base}/delete`, `${base}/delete/accepted`, "");
    expect(deleted).toMatchObject({ version: 1 });
    await ask(device, `${base}/get`, `${base}/get/rejected`, "");
    const again = await ask(
      device,
      `${base}/update`,
      `${base}/update/accepted`,
      '{"state":{"reported":{"a":3}}}',
    );
    expect(again.version).toBe(2);
  });

  it("delivers an answer only where the device may iot:Receive it", async () => {
    const thing = "eval3-shadow-receive";
    // Receive on /update/rejected only: the accepted answer must not reach the device.
    const policy = thingPolicy(lab.account(), ["shadow/update/rejected"]);
    const device = await lab.device(await lab.register(thing, policy), thing);
    const base = `$aws/things/${thing}/shadow`;
    const seen: string[] = [];
    device.on("message", (topic) => seen.push(topic));
    await subscribed(device, `${base}/update/accepted`);
    await subscribed(device, `${base}/update/rejected`);
    await device.publishAsync(`${base}/update`, '{"state":{"reported":{"a":1}}}', { qos: 1 });
    // The broker delivers in order: once the later rejection arrives, an accepted answer would have too.
    await ask(device, `${base}/update`, `${base}/update/rejected`, "{bad");
    expect(seen).toEqual([`${base}/update/rejected`]);
  });

  it("keeps shadows across a restart of the twin on the same state directory", async () => {
    const thing = "eval3-shadow-persist";
    const identity = await lab.register(thing);
    const device = await lab.device(identity, thing);
    const base = `$aws/things/${thing}/shadow`;
    await subscribed(device, `${base}/update/accepted`);
    await ask(device, `${base}/update`, `${base}/update/accepted`, '{"state":{"reported":{"kept":true}}}');
    await lab.stop();
    lab = await SdkLab.start(lab.stateDir);
    const back = await lab.device(identity, thing);
    await subscribed(back, `${base}/get/accepted`);
    const got = await ask(back, `${base}/get`, `${base}/get/accepted`, "");
    expect(got).toMatchObject({ state: { reported: { kept: true } }, version: 1 });
  });
});
