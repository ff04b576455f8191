// The least-privilege device policy (aws-iot §4.5) allows exactly what the firmware does
// (firmware-shell §9.2, §9.3) — proven with mqtt.js as the device against the twin's data plane —
// and refuses another client id, another thing's topics, and what the firmware never does.
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanupRegistration,
  deviceTopics,
  leastPrivilegePolicy,
  registerDevice,
  type Registration,
} from "./index.ts";
import { closedByBroker, connectDevice, connectedDevice } from "./test-support/device.ts";
import { boardIdentity, startTwin, type TwinUnderTest } from "./test-support/twin.ts";

let t: TwinUnderTest;
let board: ReturnType<typeof boardIdentity>;
let other: ReturnType<typeof boardIdentity>;
let registration: Registration;
beforeAll(async () => {
  t = await startTwin();
  board = boardIdentity("P1");
  other = boardIdentity("P2");
  registration = await registerDevice(t.iot[0]!, board, { runId: "run-policy" });
  await registerDevice(t.iot[0]!, other, { runId: "run-policy" });
});
afterAll(async () => {
  await cleanupRegistration(t.iot[0]!, registration).catch(() => {});
  await t?.[Symbol.asyncDispose]();
});

const device = (clientId = board.thingName, identity = board) => ({
  iot: t.iot[0]!,
  env: t.accounts[0]!.env,
  ca: t.caPem,
  clientId,
  certificatePem: identity.certificatePem,
  keyPem: identity.keyPem,
});

async function granted(client: MqttClient, filter: string): Promise<number[]> {
  return (await client.subscribeAsync(filter, { qos: 1 })).map((g) => g.qos);
}

describe("least-privilege device policy", () => {
  it("fits the 2048-character policy limit (aws-iot §2.2) in the longest Region names, grants no iot:*", () => {
    const text = JSON.stringify(
      leastPrivilegePolicy({ region: "ap-southeast-5", accountId: "123456789012" }),
    );
    expect(text.replace(/\s/g, "").length).toBeLessThan(2048);
    expect(text).not.toContain("iot:*");
    expect(text).not.toMatch(/"Resource":\s*\["\*"\]/);
  });

  it("lets the device connect as its thing, make the firmware's subscriptions and publications, and get its own messages back", async () => {
    const client = await connectedDevice(device());
    const topics = deviceTopics(board.thingName);
    const firmwareFilters = [
      `${board.thingName}/mqtt_test`,
      `$aws/things/+/defender/metrics/cbor/accepted`,
      `$aws/things/+/defender/metrics/cbor/rejected`,
      `$aws/things/${board.thingName}/shadow/update/delta`,
      `$aws/things/${board.thingName}/shadow/update/accepted`,
      `$aws/things/${board.thingName}/shadow/update/rejected`,
      `$aws/things/+/jobs/$next/get/#`,
      `$aws/things/+/jobs/notify-next`,
      `$aws/things/${board.thingName}/jobs/notify-next`,
    ];
    expect(topics.subscribe.filter((f) => !f.endsWith("/*"))).toEqual(firmwareFilters.slice(1));
    // One SUBSCRIBE per filter, in the firmware's order (firmware-shell §9.2).
    for (const filter of firmwareFilters) expect(await granted(client, filter)).toEqual([1]);

    const echoed = new Promise<string>((resolve) =>
      client.on(
        "message",
        (topic, payload) => topic === `${board.thingName}/mqtt_test` && resolve(payload.toString()),
      ),
    );
    await client.publishAsync(`${board.thingName}/mqtt_test`, '{"message": "Test message 1"}', { qos: 1 });
    await client.publishAsync(`${board.thingName}/env_sensor_data`, "{}", { qos: 0 });
    await client.publishAsync(`${board.thingName}/motion_sensor_data`, "{}", { qos: 0 });
    await client.publishAsync(
      `$aws/things/${board.thingName}/shadow/update`,
      '{"state":{"reported":{"powerOn":0}}}\0',
      { qos: 1 },
    );
    await client.publishAsync(`$aws/things/${board.thingName}/defender/metrics/cbor`, Buffer.from([0xa0]), {
      qos: 1,
    });
    await client.publishAsync(`$aws/things/${board.thingName}/jobs/$next/get`, '{"clientToken":"1"}', {
      qos: 1,
    });
    expect(await echoed).toBe('{"message": "Test message 1"}');
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it("refuses a connection whose client id is not the thing name", async () => {
    const outcome = await connectDevice(device(`${board.thingName}-x`));
    expect(outcome.kind).toBe("closed");
    const stolen = await connectDevice(device(other.thingName));
    expect(stolen.kind).toBe("closed");
  });

  it("closes the connection on a publish to another thing's topic", async () => {
    const client = await connectedDevice(device());
    const closed = closedByBroker(client, "the device after publishing to another thing");
    client.publish(`${other.thingName}/mqtt_test`, "intrusion", { qos: 0 });
    await closed;
    expect(client.connected).toBe(false);
  });

  it("closes the connection on a subscription to another thing's shadow", async () => {
    const client = await connectedDevice(device());
    const closed = closedByBroker(client, "the device after subscribing to another thing's shadow");
    client.subscribe(`$aws/things/${other.thingName}/shadow/update/accepted`, { qos: 1 });
    await closed;
    expect(client.connected).toBe(false);
  });
});
