// aws-iot §4.4, §4.5: IoT policies decide Connect, Publish, Subscribe and Receive; a denial closes the
// MQTT 3.1.1 connection (Receive: the message is skipped).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextEvent } from "./test-support/deadline.ts";
import { attemptConnect, closed, connect, end, message, subscribed } from "./test-support/mqtt-probe.ts";
import { observerPolicy, TwinFixture } from "./test-support/twin-fixture.ts";

let twin: TwinFixture;
beforeAll(async () => {
  twin = await TwinFixture.start();
});
afterAll(() => twin?.[Symbol.asyncDispose]());

const disconnection = (clientId: string) =>
  nextEvent<[{ clientId: string; reason: string }]>(
    twin.plane,
    "disconnected",
    (d) => d.clientId === clientId,
    `${clientId} disconnected`,
  );

describe("least-privilege device policy (aws-iot §4.5)", () => {
  it("lets the thing publish and subscribe under <thing>/ and deliver to itself", async () => {
    const device = twin.provision(twin.a, "eval3-lp-ok");
    const client = await connect(twin.probe(twin.a, device, "eval3-lp-ok"));
    await subscribed(client, "eval3-lp-ok/cmd/#");
    const received = message(client, "eval3-lp-ok/cmd/led");
    await client.publishAsync("eval3-lp-ok/cmd/led", "on", { qos: 1 });
    expect((await received).payload.toString()).toBe("on");
    await end(client);
  });

  it("closes the connection on a publish outside the thing's prefix", async () => {
    const device = twin.provision(twin.a, "eval3-lp-pub");
    const client = await connect(twin.probe(twin.a, device, "eval3-lp-pub"));
    const gone = disconnection("eval3-lp-pub");
    const refused = nextEvent<[{ code: string }]>(
      twin.plane,
      "refused",
      (r) => r.code === "PUBLISH_NOT_AUTHORIZED",
    );
    client.publish("someone-else/telemetry", "x", { qos: 0 });
    await closed(client, "eval3-lp-pub");
    expect((await gone)[0].reason).toBe("AUTH_ERROR");
    await refused;
    await end(client);
  });

  it("closes the connection on a subscription outside the prefix, with no SUBACK", async () => {
    const device = twin.provision(twin.a, "eval3-lp-sub");
    const client = await connect(twin.probe(twin.a, device, "eval3-lp-sub"));
    const packets: string[] = [];
    client.on("packetreceive", (p) => packets.push(p.cmd));
    const gone = disconnection("eval3-lp-sub");
    client.subscribe("#", { qos: 0 }, () => {});
    await closed(client, "eval3-lp-sub");
    expect((await gone)[0].reason).toBe("AUTH_ERROR");
    expect(packets).not.toContain("suback");
    await end(client);
  });

  it("refuses a client id that is not the thing name: closed without CONNACK, connect_failed published", async () => {
    const device = twin.provision(twin.a, "eval3-lp-id");
    const watcher = twin.provision(twin.a, "watcher-cf", { policy: observerPolicy(twin.a) });
    const observer = await connect(twin.probe(twin.a, watcher, "watcher-cf"));
    await subscribed(observer, "$aws/events/presence/connect_failed/+");
    const failed = message(observer, "$aws/events/presence/connect_failed/not-the-thing");
    const outcome = await attemptConnect(twin.probe(twin.a, device, "not-the-thing"));
    expect(outcome).toMatchObject({
      kind: "closed-without-connack",
      tlsHandshakeCompleted: true,
      packetsReceived: [],
    });
    expect(JSON.parse((await failed).payload.toString())).toMatchObject({
      clientId: "not-the-thing",
      eventType: "connect_failed",
      connectFailureReason: "AUTHORIZATION_FAILED",
      principalIdentifier: device.certificate.certificateId,
      ipAddress: "127.0.0.1",
    });
    await end(observer);
  });

  it("does not deliver messages the subscriber may not receive (iot:Receive)", async () => {
    const arn = `arn:aws:iot:${twin.a.region}:${twin.a.accountId}`;
    const device = twin.provision(twin.a, "eval3-rx", {
      policy: {
        Statement: [
          { Effect: "Allow", Action: ["iot:Connect", "iot:Publish", "iot:Subscribe"], Resource: "*" },
          { Effect: "Allow", Action: "iot:Receive", Resource: `${arn}:topic/shared/open` },
        ],
      },
    });
    const client = await connect(twin.probe(twin.a, device, "eval3-rx"));
    const seen: string[] = [];
    client.on("message", (t) => seen.push(t));
    await subscribed(client, "shared/+");
    const open = message(client, "shared/open");
    await client.publishAsync("shared/closed", "1", { qos: 1 });
    await client.publishAsync("shared/open", "2", { qos: 1 });
    await open;
    // Deliveries on one subscription keep their order: had shared/closed been delivered, it came first.
    expect(seen).toEqual(["shared/open"]);
    await end(client);
  });

  it("lets an explicit Deny win over an Allow", async () => {
    const arn = `arn:aws:iot:${twin.a.region}:${twin.a.accountId}`;
    const device = twin.provision(twin.a, "eval3-deny", {
      policy: {
        Statement: [
          { Effect: "Allow", Action: "iot:*", Resource: "*" },
          { Effect: "Deny", Action: "iot:Publish", Resource: `${arn}:topic/eval3-deny/secret` },
        ],
      },
    });
    const client = await connect(twin.probe(twin.a, device, "eval3-deny"));
    await client.publishAsync("eval3-deny/open", "ok", { qos: 1 });
    const gone = disconnection("eval3-deny");
    client.publish("eval3-deny/secret", "no", { qos: 0 });
    await closed(client, "eval3-deny");
    expect((await gone)[0].reason).toBe("AUTH_ERROR");
    await end(client);
  });
});
