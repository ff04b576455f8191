// aws-iot-device-sdk-v2 (aws-crt) against the data plane. The CRT connects to its endpoint host and
// sends it as SNI, with no host override; an HTTP CONNECT proxy (which the SDK supports) carries the
// connection to 127.0.0.1, so SNI, ALPN and the SigV4 Host stay those of the real endpoint.
import { auth, http, iot, mqtt } from "aws-iot-device-sdk-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../registry/types.ts";
import { ConnectProxy } from "./test-support/connect-proxy.ts";
import { nextEvent, withDeadline } from "./test-support/deadline.ts";
import { TwinFixture, type Device } from "./test-support/twin-fixture.ts";

let twin: TwinFixture;
let proxy: ConnectProxy;
let proxyPort: number;
const client = new mqtt.MqttClient();
beforeAll(async () => {
  twin = await TwinFixture.start();
  proxy = new ConnectProxy(() => twin.plane.port);
  proxyPort = await proxy.listen();
});
afterAll(async () => {
  await proxy?.[Symbol.asyncDispose]();
  await twin?.[Symbol.asyncDispose]();
});

const viaProxy = () =>
  new http.HttpProxyOptions(
    "127.0.0.1",
    proxyPort,
    undefined,
    undefined,
    undefined,
    undefined,
    http.HttpProxyConnectionType.Tunneling,
  );

function mtlsConnection(account: Account, device: Device, clientId: string): mqtt.MqttClientConnection {
  const config = iot.AwsIotMqttConnectionConfigBuilder.new_mtls_builder(
    device.identity.certificatePem,
    device.identity.keyPem,
  )
    .with_certificate_authority(twin.pki.caPem)
    .with_endpoint(account.dataEndpoint)
    .with_port(8883)
    .with_client_id(clientId)
    .with_clean_session(true)
    .with_http_proxy_options(viaProxy())
    .build();
  return client.new_connection(config);
}

function webSocketConnection(account: Account, accessKeyId: string, secret: string, clientId: string) {
  const config = iot.AwsIotMqttConnectionConfigBuilder.new_with_websockets({
    region: account.region,
    credentials_provider: auth.AwsCredentialsProvider.newStatic(accessKeyId, secret),
    proxy_options: viaProxy(),
  })
    .with_certificate_authority(twin.pki.caPem)
    .with_endpoint(account.dataEndpoint)
    .with_client_id(clientId)
    .with_clean_session(true)
    .build();
  return client.new_connection(config);
}

/** Subscribes and resolves the SUBACK; `first` resolves with the first payload received. */
async function subscribe(connection: mqtt.MqttClientConnection, filter: string) {
  let resolveFirst: (payload: string) => void = () => {};
  const first = new Promise<string>((resolve) => (resolveFirst = resolve));
  const suback = connection.subscribe(filter, mqtt.QoS.AtLeastOnce, (_t, p) =>
    resolveFirst(Buffer.from(p).toString()),
  );
  await withDeadline(suback, `SUBACK for ${filter}`);
  return { first: withDeadline(first, `a message on ${filter}`) };
}

describe("aws-iot-device-sdk-v2 (aws-crt) clients", () => {
  it("connects over mTLS with ALPN x-amzn-mqtt-ca and SNI = endpoint, and publishes under its prefix", async () => {
    const device = twin.provision(twin.a, "eval3-crt");
    const connection = mtlsConnection(twin.a, device, "eval3-crt");
    const connected = nextEvent<[{ clientId: string }]>(
      twin.plane,
      "connected",
      (c) => c.clientId === "eval3-crt",
    );
    expect(await withDeadline(connection.connect(), "CRT CONNACK")).toBe(false);
    await connected;
    expect(proxy.targets).toContain(`${twin.a.dataEndpoint}:8883`);
    const echo = await subscribe(connection, "eval3-crt/echo");
    await withDeadline(connection.publish("eval3-crt/echo", "hello", mqtt.QoS.AtLeastOnce), "PUBACK");
    expect(await echo.first).toBe("hello");
    await connection.disconnect();
  });

  it("sees a hang-up without CONNACK for an INACTIVE certificate", async () => {
    const device = twin.provision(twin.a, "eval3-crt-inactive", { status: "INACTIVE" });
    const connection = mtlsConnection(twin.a, device, "eval3-crt-inactive");
    const refused = nextEvent<[{ code: string }]>(twin.plane, "refused", (r) => r.code === "CERT_NOT_ACTIVE");
    await expect(withDeadline(connection.connect(), "CRT connect failure")).rejects.toThrow(
      /HANGUP|closed|socket/i,
    );
    await refused;
  });

  it("connects over WebSocket with SigV4 (service iotdevicegateway) and receives a device's message", async () => {
    const key = twin.registry.accessKey("AKIATWINBBBBBBBBBBBB")!;
    const harness = webSocketConnection(twin.b, key.accessKeyId, key.secretAccessKey, "harness-crt");
    await withDeadline(harness.connect(), "CRT WebSocket CONNACK");
    expect(proxy.targets).toContain(`${twin.b.dataEndpoint}:443`);
    const telemetry = await subscribe(harness, "eval3-crt-b/#");
    const device = twin.provision(twin.b, "eval3-crt-b");
    const thing = mtlsConnection(twin.b, device, "eval3-crt-b");
    await withDeadline(thing.connect(), "device CONNACK");
    await withDeadline(thing.publish("eval3-crt-b/telemetry", "21.5", mqtt.QoS.AtLeastOnce), "PUBACK");
    expect(await telemetry.first).toBe("21.5");
    await thing.disconnect();
    await harness.disconnect();
  });

  it("is refused over WebSocket with a wrong secret", async () => {
    const refused = nextEvent<[{ code: string }]>(twin.plane, "refused", (r) => r.code === "SIGV4_INVALID");
    const harness = webSocketConnection(twin.b, "AKIATWINBBBBBBBBBBBB", "wrong", "harness-crt-bad");
    await expect(withDeadline(harness.connect(), "CRT WebSocket refusal")).rejects.toThrow();
    await refused;
  });
});
