// aws-iot §4.3, §4.6, §1.4: duplicate client ids, presence lifecycle events, certificate deactivation
// of live sessions, and the broker-restart fault.
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptConnect, closed, connect, end, message, subscribed } from "./test-support/mqtt-probe.ts";
import { deviceIdentity } from "./test-support/test-pki.ts";
import { observerPolicy, TwinFixture } from "./test-support/twin-fixture.ts";

let twin: TwinFixture;
let watcher: MqttClient;
beforeAll(async () => {
  twin = await TwinFixture.start();
  const device = twin.provision(twin.a, "watcher-1", { policy: observerPolicy(twin.a) });
  watcher = await connect(twin.probe(twin.a, device, "watcher-1"));
  await subscribed(watcher, "$aws/events/presence/+/+");
  await subscribed(watcher, "$aws/events/subscriptions/+/+");
});
afterAll(async () => {
  await end(watcher);
  await twin?.[Symbol.asyncDispose]();
});

const lifecycle = async (topic: string) =>
  JSON.parse((await message(watcher, topic)).payload.toString()) as Record<string, unknown>;
const presence = (kind: "connected" | "disconnected", clientId: string) =>
  lifecycle(`$aws/events/presence/${kind}/${clientId}`);

describe("sessions and lifecycle events (aws-iot §4.3, §4.6)", () => {
  it("publishes connected and disconnected events with the spec's fields", async () => {
    const device = twin.provision(twin.a, "eval3-life");
    const connected = presence("connected", "eval3-life");
    const client = await connect(twin.probe(twin.a, device, "eval3-life"));
    const up = await connected;
    expect(up).toMatchObject({
      clientId: "eval3-life",
      eventType: "connected",
      principalIdentifier: device.certificate.certificateId,
      ipAddress: "127.0.0.1",
    });
    expect(up.sessionIdentifier).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof up.timestamp).toBe("number");
    expect(typeof up.versionNumber).toBe("number");

    const disconnected = presence("disconnected", "eval3-life");
    await client.endAsync();
    const down = await disconnected;
    expect(down).toMatchObject({
      clientId: "eval3-life",
      eventType: "disconnected",
      clientInitiatedDisconnect: true,
      disconnectReason: "CLIENT_INITIATED_DISCONNECT",
      sessionIdentifier: up.sessionIdentifier,
      principalIdentifier: device.certificate.certificateId,
      versionNumber: up.versionNumber,
    });
    expect(down).not.toHaveProperty("ipAddress");
  });

  it("publishes subscribed and unsubscribed events with the filters", async () => {
    const device = twin.provision(twin.a, "eval3-subev");
    const connected = presence("connected", "eval3-subev");
    const client = await connect(twin.probe(twin.a, device, "eval3-subev"));
    const { sessionIdentifier } = await connected;
    const subscribedEvent = lifecycle("$aws/events/subscriptions/subscribed/eval3-subev");
    await subscribed(client, "eval3-subev/cmd/#");
    expect(await subscribedEvent).toMatchObject({
      clientId: "eval3-subev",
      eventType: "subscribed",
      sessionIdentifier,
      principalIdentifier: device.certificate.certificateId,
      topics: ["eval3-subev/cmd/#"],
    });
    const unsubscribedEvent = lifecycle("$aws/events/subscriptions/unsubscribed/eval3-subev");
    await client.unsubscribeAsync("eval3-subev/cmd/#");
    expect(await unsubscribedEvent).toMatchObject({
      eventType: "unsubscribed",
      topics: ["eval3-subev/cmd/#"],
    });
    // Disconnecting with a subscription publishes `disconnected` and no `unsubscribed`.
    const subscribedOther = lifecycle("$aws/events/subscriptions/subscribed/eval3-subev");
    await subscribed(client, "eval3-subev/other");
    await subscribedOther;
    const seen: string[] = [];
    const record = (topic: string): void => void seen.push(topic);
    watcher.on("message", record);
    const down = presence("disconnected", "eval3-subev");
    await client.endAsync();
    await down;
    watcher.off("message", record);
    expect(seen).toEqual(["$aws/events/presence/disconnected/eval3-subev"]);
  });

  it("lets a second connection with the same client id take over the first", async () => {
    const device = twin.provision(twin.a, "eval3-dup");
    const connected = presence("connected", "eval3-dup");
    const first = await connect(twin.probe(twin.a, device, "eval3-dup"));
    const firstUp = await connected;
    const takenOver = presence("disconnected", "eval3-dup");
    const firstClosed = closed(first, "first eval3-dup");
    const second = await connect(twin.probe(twin.a, device, "eval3-dup"));
    await firstClosed;
    const down = await takenOver;
    expect(down).toMatchObject({ disconnectReason: "DUPLICATE_CLIENTID", clientInitiatedDisconnect: false });
    expect(down.sessionIdentifier).toBe(firstUp.sessionIdentifier);
    expect(second.connected).toBe(true);
    expect(await twin.plane.clientIds(twin.a.accountId)).toContain("eval3-dup");
    await end(first, second);
  });

  it("disconnects a live session when its certificate is set INACTIVE, and refuses it afterwards", async () => {
    const device = twin.provision(twin.a, "eval3-deactivate");
    const client = await connect(twin.probe(twin.a, device, "eval3-deactivate"));
    const down = presence("disconnected", "eval3-deactivate");
    const gone = closed(client, "eval3-deactivate");
    twin.registry.setStatus(device.certificate, "INACTIVE");
    await gone;
    expect(await down).toMatchObject({ disconnectReason: "AUTH_ERROR" });
    const again = await attemptConnect(twin.probe(twin.a, device, "eval3-deactivate"));
    expect(again).toMatchObject({ kind: "closed-without-connack", tlsHandshakeCompleted: true });
    await end(client);
  });

  it("ends only the deactivated account's session of a certificate registered in two accounts", async () => {
    const identity = deviceIdentity("eval3-two-sessions");
    const inA = twin.provision(twin.a, "eval3-two-sessions", { identity });
    twin.provision(twin.b, "eval3-two-sessions", { identity });
    const a = await connect(twin.probe(twin.a, inA, "eval3-two-sessions"));
    const b = await connect(twin.probe(twin.b, inA, "eval3-two-sessions"));
    const aGone = closed(a, "session in account A");
    twin.registry.setStatus(inA.certificate, "INACTIVE");
    await aGone;
    // B's session still works end to end.
    await subscribed(b, "eval3-two-sessions/ping");
    const pong = message(b, "eval3-two-sessions/ping");
    await b.publishAsync("eval3-two-sessions/ping", "still here", { qos: 1 });
    expect((await pong).payload.toString()).toBe("still here");
    await end(a, b);
  });

  it("publishes the Last Will when the connection is lost, not after a clean DISCONNECT", async () => {
    const arn = `arn:aws:iot:${twin.a.region}:${twin.a.accountId}`;
    const listenerDevice = twin.provision(twin.a, "watcher-will", {
      policy: {
        Statement: [
          { Effect: "Allow", Action: "iot:Connect", Resource: `${arn}:client/watcher-*` },
          { Effect: "Allow", Action: "iot:Subscribe", Resource: `${arn}:topicfilter/eval3-will/*` },
          { Effect: "Allow", Action: "iot:Receive", Resource: `${arn}:topic/eval3-will/*` },
        ],
      },
    });
    const listener = await connect(twin.probe(twin.a, listenerDevice, "watcher-will"));
    await subscribed(listener, "eval3-will/status");
    const device = twin.provision(twin.a, "eval3-will");
    const will = { topic: "eval3-will/status", payload: Buffer.from("lost"), qos: 1 as const, retain: false };

    const lost = await connect({ ...twin.probe(twin.a, device, "eval3-will"), will });
    const willMessage = message(listener, "eval3-will/status");
    const down = presence("disconnected", "eval3-will");
    lost.stream.destroy();
    expect((await willMessage).payload.toString()).toBe("lost");
    expect(await down).toMatchObject({
      disconnectReason: "CONNECTION_LOST",
      clientInitiatedDisconnect: false,
    });
    await end(lost);

    const clean = await connect({ ...twin.probe(twin.a, device, "eval3-will"), will });
    await clean.endAsync();
    const next = message(listener, "eval3-will/status");
    const sentinel = await connect(twin.probe(twin.a, device, "eval3-will"));
    await sentinel.publishAsync("eval3-will/status", "sentinel", { qos: 1 });
    expect((await next).payload.toString()).toBe("sentinel");
    await end(listener, sentinel);
  });
});

describe("broker restart fault", () => {
  it("drops every connection, refuses while stopped, and serves again on the same port", async () => {
    const device = twin.provision(twin.b, "eval3-restart");
    const client = await connect(twin.probe(twin.b, device, "eval3-restart"));
    const port = twin.plane.port;
    const gone = closed(client, "eval3-restart");
    await twin.plane.stop();
    await gone;
    const whileDown = await attemptConnect(twin.probe(twin.b, device, "eval3-restart"));
    expect(whileDown).toMatchObject({ kind: "closed-without-connack", tlsHandshakeCompleted: false });
    await twin.plane.start();
    expect(twin.plane.port).toBe(port);
    const back = await connect(twin.probe(twin.b, device, "eval3-restart"));
    expect(await twin.plane.clientIds(twin.b.accountId)).toEqual(["eval3-restart"]);
    await end(client, back);
  });
});
