// aws-iot §4.7: payload limit, no QoS 2, retained messages (exact-topic subscriptions only), topic shape.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextEvent } from "./test-support/deadline.ts";
import { closed, connect, end, message, subscribed } from "./test-support/mqtt-probe.ts";
import { TwinFixture } from "./test-support/twin-fixture.ts";
import { clampKeepAlive, MAX_PAYLOAD_BYTES } from "./topic-rules.ts";

let twin: TwinFixture;
beforeAll(async () => {
  twin = await TwinFixture.start();
});
afterAll(() => twin?.[Symbol.asyncDispose]());

/** Everything on topics under the thing name, including retained publishes. */
const thingPolicy = (thing: string) => {
  const arn = `arn:aws:iot:${twin.a.region}:${twin.a.accountId}`;
  return {
    Statement: [
      { Effect: "Allow", Action: "iot:Connect", Resource: `${arn}:client/${thing}` },
      {
        Effect: "Allow",
        Action: ["iot:Publish", "iot:RetainPublish", "iot:Receive"],
        Resource: `${arn}:topic/${thing}/*`,
      },
      { Effect: "Allow", Action: "iot:Subscribe", Resource: `${arn}:topicfilter/${thing}/*` },
    ],
  };
};

async function device(thing: string) {
  const d = twin.provision(twin.a, thing, { policy: thingPolicy(thing) });
  return connect(twin.probe(twin.a, d, thing));
}

const refusedWith = (clientId: string) =>
  nextEvent<[{ clientId?: string; code: string }]>(twin.plane, "refused", (r) => r.clientId === clientId);
const disconnected = (clientId: string) =>
  nextEvent<[{ clientId: string; reason: string }]>(
    twin.plane,
    "disconnected",
    (d) => d.clientId === clientId,
  );

describe("MQTT limits (aws-iot §4.7)", () => {
  it("accepts a 128 KB payload and disconnects a larger one with CLIENT_ERROR", async () => {
    const client = await device("eval3-big");
    await subscribed(client, "eval3-big/blob");
    const echoed = message(client, "eval3-big/blob");
    await client.publishAsync("eval3-big/blob", Buffer.alloc(MAX_PAYLOAD_BYTES, 1), { qos: 1 });
    expect((await echoed).payload.length).toBe(128 * 1024);

    const refused = refusedWith("eval3-big");
    const gone = disconnected("eval3-big");
    client.publish("eval3-big/blob", Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 1), { qos: 0 });
    await closed(client, "eval3-big");
    expect((await refused)[0].code).toBe("PAYLOAD_TOO_LARGE");
    expect((await gone)[0].reason).toBe("CLIENT_ERROR");
    await end(client);
  });

  it("refuses a QoS 2 publish without PUBREC and closes the connection", async () => {
    const client = await device("eval3-qos2");
    const packets: string[] = [];
    client.on("packetreceive", (p) => packets.push(p.cmd));
    const refused = refusedWith("eval3-qos2");
    client.publish("eval3-qos2/x", "2", { qos: 2 });
    await closed(client, "eval3-qos2");
    expect((await refused)[0].code).toBe("QOS2_NOT_SUPPORTED");
    expect(packets).not.toContain("pubrec");
    await end(client);
  });

  it("refuses a QoS 2 subscription without SUBACK and closes the connection", async () => {
    const client = await device("eval3-qos2-sub");
    const packets: string[] = [];
    client.on("packetreceive", (p) => packets.push(p.cmd));
    const refused = refusedWith("eval3-qos2-sub");
    client.subscribe("eval3-qos2-sub/x", { qos: 2 }, () => {});
    await closed(client, "eval3-qos2-sub");
    expect((await refused)[0].code).toBe("QOS2_NOT_SUPPORTED");
    expect(packets).not.toContain("suback");
    await end(client);
  });

  it("delivers a retained message to a later exact-topic subscription, not to a wildcard one", async () => {
    const publisher = await device("eval3-retain");
    await publisher.publishAsync("eval3-retain/state", "on", { qos: 1, retain: true });
    await end(publisher);

    const late = await device("eval3-retain");
    const seen: string[] = [];
    late.on("message", (topic, _payload, packet) => seen.push(`${topic} retain=${packet.retain}`));
    await subscribed(late, "eval3-retain/#");
    const retained = message(late, "eval3-retain/state");
    await subscribed(late, "eval3-retain/state");
    const got = await retained;
    expect(got.payload.toString()).toBe("on");
    expect(got.retain).toBe(true);
    // The wildcard subscription came first and got nothing.
    expect(seen).toEqual(["eval3-retain/state retain=true"]);
    await end(late);
  });

  it("refuses retained publishes without iot:RetainPublish", async () => {
    const d = twin.provision(twin.a, "eval3-noretain"); // least privilege: no iot:RetainPublish
    const client = await connect(twin.probe(twin.a, d, "eval3-noretain"));
    const refused = refusedWith("eval3-noretain");
    client.publish("eval3-noretain/state", "on", { qos: 0, retain: true });
    await closed(client, "eval3-noretain");
    expect((await refused)[0].code).toBe("PUBLISH_NOT_AUTHORIZED");
    await end(client);
  });

  it("refuses topics deeper than 8 levels and reserved $ topics", async () => {
    const deep = await device("eval3-deep");
    const refused = refusedWith("eval3-deep");
    deep.publish("eval3-deep/1/2/3/4/5/6/7/8", "x", { qos: 0 });
    await closed(deep, "eval3-deep");
    expect((await refused)[0].code).toBe("TOPIC_INVALID");

    const sys = await device("eval3-sys");
    const reserved = refusedWith("eval3-sys");
    const gone = disconnected("eval3-sys");
    sys.subscribe("$SYS/#", { qos: 0 }, () => {});
    await closed(sys, "eval3-sys");
    expect((await reserved)[0].code).toBe("TOPIC_RESERVED");
    expect((await gone)[0].reason).toBe("FORBIDDEN_ACCESS");
    await end(deep, sys);
  });

  it("closes a connection that subscribes to more than 50 filters", async () => {
    const client = await device("eval3-many");
    for (let i = 0; i < 50; i++) await subscribed(client, `eval3-many/${i}`);
    const refused = refusedWith("eval3-many");
    client.subscribe("eval3-many/50", { qos: 1 }, () => {});
    await closed(client, "eval3-many");
    expect((await refused)[0].code).toBe("SUBSCRIPTION_LIMIT");
    await end(client);
  });

  it("treats keep-alive 0 or above 1200 s as 1200 s and below 30 s as 30 s", () => {
    expect([0, 1, 29, 30, 600, 1200, 1201, 65535].map(clampKeepAlive)).toEqual([
      1200, 30, 30, 30, 600, 1200, 1200, 1200,
    ]);
  });
});
