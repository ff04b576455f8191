// aws-iot §4.1: MQTT over secure WebSocket with a SigV4-signed URL, on the same port as mTLS.
import { request } from "node:https";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../registry/types.ts";
import { nextEvent, withDeadline } from "./test-support/deadline.ts";
import { connect, end, message, subscribed } from "./test-support/mqtt-probe.ts";
import { presignedMqttPath } from "./test-support/sigv4-url.ts";
import { TwinFixture } from "./test-support/twin-fixture.ts";

let twin: TwinFixture;
beforeAll(async () => {
  twin = await TwinFixture.start();
});
afterAll(() => twin?.[Symbol.asyncDispose]());

const keyOf = (account: Account) =>
  twin.registry.accessKey(account === twin.a ? "AKIATWINAAAAAAAAAAAA" : "AKIATWINBBBBBBBBBBBB")!;

/** mqtt.js over wss to 127.0.0.1, with the endpoint as SNI and Host, as the signature covers it. */
function wsOptions(account: Account, path: string, clientId: string): IClientOptions {
  return {
    protocol: "wss",
    host: "127.0.0.1",
    port: twin.plane.port,
    path,
    ca: twin.pki.caPem,
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 8_000,
    // `servername` reaches tls.connect through ws; its typings do not list it.
    wsOptions: Object.assign(
      { headers: { host: account.dataEndpoint } },
      { servername: account.dataEndpoint },
    ),
  };
}

function connectWs(options: IClientOptions): Promise<{ client: MqttClient; error?: string }> {
  const client = mqtt.connect(options);
  let error: string | undefined;
  client.on("error", (e) => (error = e.message));
  return withDeadline(
    new Promise((resolve) => {
      client.once("connect", () => resolve({ client }));
      client.once("close", () =>
        resolve({ client, ...(error !== undefined ? { error } : { error: "closed" }) }),
      );
    }),
    `WebSocket connect of ${options.clientId}`,
  );
}

/** The raw HTTP answer to an upgrade request, for checking refusals. */
function upgradeStatus(account: Account, path: string): Promise<number> {
  return withDeadline(
    new Promise((resolve, reject) => {
      const req = request({
        host: "127.0.0.1",
        port: twin.plane.port,
        path,
        servername: account.dataEndpoint,
        ca: twin.pki.caPem,
        headers: {
          host: account.dataEndpoint,
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-version": "13",
          "sec-websocket-key": Buffer.alloc(16, 7).toString("base64"),
          "sec-websocket-protocol": "mqtt",
        },
      });
      req.on("upgrade", (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on("response", (res) => resolve(res.statusCode ?? 0));
      req.on("error", reject);
      req.end();
    }),
    "the upgrade answer",
  );
}

describe("MQTT over WebSocket with SigV4 (aws-iot §4.1)", () => {
  it("connects with a signed URL and exchanges messages with an mTLS device", async () => {
    const device = twin.provision(twin.a, "eval3-ws");
    const thing = await connect(twin.probe(twin.a, device, "eval3-ws"));
    const { client, error } = await connectWs(
      wsOptions(twin.a, await presignedMqttPath(keyOf(twin.a), twin.a), "harness-ws-1"),
    );
    expect(error).toBeUndefined();
    await subscribed(client, "eval3-ws/#");
    const got = message(client, "eval3-ws/telemetry");
    await thing.publishAsync("eval3-ws/telemetry", '{"t":21}', { qos: 1 });
    expect((await got).payload.toString()).toBe('{"t":21}');
    expect(await twin.plane.clientIds(twin.a.accountId)).toEqual(
      expect.arrayContaining(["harness-ws-1", "eval3-ws"]),
    );
    await end(client, thing);
  });

  it("reports the access key as principal in lifecycle events", async () => {
    const connected = nextEvent<[{ clientId: string; principalIdentifier: string }]>(
      twin.plane,
      "connected",
      (c) => c.clientId === "harness-ws-2",
    );
    const { client } = await connectWs(
      wsOptions(twin.b, await presignedMqttPath(keyOf(twin.b), twin.b), "harness-ws-2"),
    );
    expect((await connected)[0].principalIdentifier).toBe(keyOf(twin.b).accessKeyId);
    await end(client);
  });

  it("refuses a bad signature, another account's key and a wrong region with 403", async () => {
    const badSecret = await presignedMqttPath(keyOf(twin.a), twin.a, { secret: "not-the-secret" });
    expect(await upgradeStatus(twin.a, badSecret)).toBe(403);
    const refused = nextEvent<[{ code: string; message: string }]>(
      twin.plane,
      "refused",
      (r) => r.code === "SIGV4_INVALID",
    );
    const { error } = await connectWs(wsOptions(twin.a, badSecret, "harness-ws-bad"));
    expect(error).toBeDefined();
    expect((await refused)[0].message).toBe("signature does not match");
    expect(await upgradeStatus(twin.a, await presignedMqttPath(keyOf(twin.b), twin.a))).toBe(403);
    expect(
      await upgradeStatus(twin.a, await presignedMqttPath(keyOf(twin.a), twin.a, { region: "us-west-2" })),
    ).toBe(403);
    expect(await twin.plane.clientIds(twin.a.accountId)).not.toContain("harness-ws-bad");
  });

  it("refuses an unsigned URL and answers 404 outside /mqtt", async () => {
    expect(await upgradeStatus(twin.a, "/mqtt")).toBe(403);
    expect(await upgradeStatus(twin.a, "/other")).toBe(404);
  });
});
