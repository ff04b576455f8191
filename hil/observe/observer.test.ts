// The observer against the IoT Core twin: over SigV4 WebSocket and over its own mTLS identity, it
// sees a device (mqtt.js with its registered certificate and the least-privilege policy) connect and
// publish; every failing assertion says what it awaited, how long, and what it saw (aws-iot §4.6, §8).
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupRegistration, registerDevice, type Registration } from "../aws/index.ts";
import { closedByBroker, connectedDevice } from "../aws/test-support/device.ts";
import { boardIdentity, startTwin, type TwinUnderTest } from "../aws/test-support/twin.ts";
import { ListThingsCommand } from "@aws-sdk/client-iot";
import {
  MqttObserver,
  ObserveError,
  ObserverIdentity,
  type ObserverOptions,
  type ObserverTransport,
} from "./index.ts";

let t: TwinUnderTest;
const registrations: Registration[] = [];
beforeAll(async () => {
  t = await startTwin();
});
afterAll(async () => {
  for (const r of registrations) await cleanupRegistration(t.iot[0]!, r).catch(() => {});
  await t?.[Symbol.asyncDispose]();
});

/** A registered board and how to connect as it. */
async function newBoard(label: string) {
  const board = boardIdentity(label);
  registrations.push(await registerDevice(t.iot[0]!, board, { runId: "run-observe" }));
  const options = {
    iot: t.iot[0]!,
    env: t.accounts[0]!.env,
    ca: t.caPem,
    clientId: board.thingName,
    certificatePem: board.certificatePem,
    keyPem: board.keyPem,
  };
  return { board, thing: board.thingName, connect: () => connectedDevice(options) };
}

const observerOptions = (extra: Partial<ObserverOptions> = {}): ObserverOptions => ({
  iot: t.iot[0]!,
  env: t.accounts[0]!.env,
  ca: t.caPem,
  ...extra,
});

const testMessage = { message: /^Test message \d+$/ };

async function publishTests(device: MqttClient, thing: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await device.publishAsync(`${thing}/mqtt_test`, `{"message": "Test message ${i}"}`, {
      qos: i % 2 === 1 ? 1 : 0,
    });
  }
}

describe("MqttObserver", () => {
  it("over SigV4 WebSocket: sees the device connect (lifecycle event) and its publications match the shape", async () => {
    const { board, thing, connect } = await newBoard("O1");
    await using observer = await MqttObserver.connect(observerOptions());
    expect(observer.clientId).toMatch(/^mar-hil-observer-/);
    await observer.watchDevice(thing);
    const device = await connect();
    const connected = await observer.expectConnected(thing, { within: 10_000 });
    expect(connected).toMatchObject({ eventType: "connected", clientId: thing });
    expect(connected.principalIdentifier).toBe(registrations.at(-1)!.certificateId);
    await publishTests(device, thing, 3);
    const seen = await observer.expectPublications(`${thing}/mqtt_test`, {
      within: 10_000,
      atLeast: 3,
      shape: testMessage,
    });
    expect(seen.map((m) => m.payload.toString())).toEqual(
      [1, 2, 3].map((i) => `{"message": "Test message ${i}"}`),
    );
    expect(board.thingName).toBe(thing);
    await device.endAsync();
  });

  it("over its own mTLS identity: sees the device's publications, and removes the identity on dispose", async () => {
    const { thing, connect } = await newBoard("O2");
    let observerThing = "";
    let transport: ObserverTransport | undefined;
    {
      await using identity = await ObserverIdentity.register(t.iot[0]!, {
        runId: "run-observe",
        watched: [thing],
      });
      observerThing = identity.clientId;
      transport = identity.transport;
      await using observer = await MqttObserver.connect(
        observerOptions({ transport: identity.transport, clientId: identity.clientId }),
      );
      await observer.watchDevice(thing);
      const device = await connect();
      await observer.expectConnected(thing, { within: 10_000 });
      await publishTests(device, thing, 2);
      const seen = await observer.expectPublications(`${thing}/mqtt_test`, {
        within: 10_000,
        atLeast: 2,
        shape: testMessage,
      });
      expect(seen).toHaveLength(2);
      await device.endAsync();
    }
    const { things } = await t.iot[0]!.send(new ListThingsCommand({}));
    expect(things?.map((x) => x.thingName)).not.toContain(observerThing);
    await expect(
      MqttObserver.connect(observerOptions({ transport, clientId: observerThing })),
    ).rejects.toMatchObject({
      code: "OBSERVER_CONNECT_FAILED",
    });
  });

  it("times out naming what it awaited, the elapsed time and what it saw (payloads that miss the shape)", async () => {
    const { thing, connect } = await newBoard("O3");
    await using observer = await MqttObserver.connect(observerOptions());
    await observer.watchDevice(thing);
    const device = await connect();
    await device.publishAsync(`${thing}/mqtt_test`, '{"msg": "wrong field"}', { qos: 1 });
    await observer.expectPublications(`${thing}/mqtt_test`, { within: 10_000 });
    const failure = await observer
      .expectPublications(`${thing}/mqtt_test`, { within: 200, shape: testMessage })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ObserveError);
    expect(failure).toMatchObject({
      code: "OBSERVE_TIMEOUT",
      fault: "device",
      awaited: `≥ 1 publication(s) on ${thing}/mqtt_test matching the shape`,
    });
    const { elapsedMs, seen, message } = failure as ObserveError;
    expect(elapsedMs).toBeGreaterThanOrEqual(200);
    expect(seen.join("\n")).toContain("$.message: missing");
    expect(message).toContain(`"msg": "wrong field"`);
    await device.endAsync();
  });

  it("refuses to use the client id it observes, and reports a refused identity as OBSERVER_CONNECT_FAILED", async () => {
    await using observer = await MqttObserver.connect(observerOptions());
    await expect(observer.watchDevice(observer.clientId)).rejects.toMatchObject({
      code: "OBSERVER_CLIENT_ID",
      fault: "user",
    });
    const unregistered = boardIdentity("O4");
    const refused = MqttObserver.connect(
      observerOptions({
        transport: { kind: "mtls", certificatePem: unregistered.certificatePem, keyPem: unregistered.keyPem },
      }),
    );
    await expect(refused).rejects.toMatchObject({ code: "OBSERVER_CONNECT_FAILED" });
  });

  it("passes 'no unexpected disconnect' while the device stays, fails it when the device leaves", async () => {
    const { thing, connect } = await newBoard("O5");
    await using observer = await MqttObserver.connect(observerOptions());
    await observer.watchDevice(thing);
    const device = await connect();
    await observer.expectConnected(thing, { within: 10_000 });
    await expect(observer.expectNoDisconnect(thing, { for: 300 })).resolves.toBeUndefined();
    const watching = observer.expectNoDisconnect(thing, { for: 10_000 }).catch((e: unknown) => e);
    await device.endAsync();
    const e = await watching;
    expect(e).toMatchObject({ code: "UNEXPECTED_DISCONNECT", fault: "device" });
    expect((e as ObserveError).seen.join()).toContain("CLIENT_INITIATED_DISCONNECT");
  });

  it("fails 'no unexpected disconnect' when the data plane restarts (broker-restart fault)", async () => {
    const { thing, connect } = await newBoard("O6");
    await using observer = await MqttObserver.connect(observerOptions());
    await observer.watchDevice(thing);
    const device = await connect();
    await observer.expectConnected(thing, { within: 10_000 });
    const watching = observer.expectNoDisconnect(thing, { for: 10_000 }).catch((e: unknown) => e);
    const deviceDropped = closedByBroker(device, "the device on broker restart");
    await t.twin.dataPlane?.restart?.();
    await deviceDropped;
    expect(await watching).toMatchObject({ code: "UNEXPECTED_DISCONNECT", fault: "cloud" });
    // A lost observer fails every later wait at once instead of timing out silently.
    await expect(observer.expectPublications(`${thing}/mqtt_test`, { within: 10_000 })).rejects.toMatchObject(
      {
        code: "OBSERVER_DISCONNECTED",
      },
    );
    await device.endAsync(true);
  });
});
