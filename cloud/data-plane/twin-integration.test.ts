// The data plane inside the CloudTwin, driven as a harness drives AWS: the MAR registration through
// the real @aws-sdk/client-iot against the control plane, then real MQTT clients (aws-iot §1, §4).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DescribeEndpointCommand,
  DetachPolicyCommand,
  IoTClient,
  RegisterCertificateWithoutCACommand,
  UpdateCertificateCommand,
  type CertificateStatus,
} from "@aws-sdk/client-iot";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTwin, MQTT_CONNECT_ENV, type CloudAccountDescription } from "../index.ts";
import {
  attemptConnect,
  closed,
  connect,
  end,
  message,
  subscribed,
  type ProbeOptions,
} from "./test-support/mqtt-probe.ts";
import { presignedMqttPath } from "./test-support/sigv4-url.ts";
import { deviceIdentity, type DeviceIdentity } from "./test-support/test-pki.ts";
import { leastPrivilegePolicy } from "./test-support/twin-fixture.ts";
import { withDeadline } from "./test-support/deadline.ts";

let stateDir: string;
let twin: CloudTwin;
let accounts: CloudAccountDescription[];
let caPem: string;
const clients: IoTClient[] = [];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "mar-hil-data-plane-"));
  twin = await CloudTwin.start({ stateDir });
  const description = twin.describe();
  accounts = description.accounts;
  caPem = readFileSync(description.caFile, "utf8");
  for (const a of accounts) {
    clients.push(
      new IoTClient({
        endpoint: a.env.AWS_ENDPOINT_URL_IOT,
        region: a.env.AWS_REGION,
        credentials: {
          accessKeyId: a.env.AWS_ACCESS_KEY_ID ?? "",
          secretAccessKey: a.env.AWS_SECRET_ACCESS_KEY ?? "",
        },
      }),
    );
  }
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await twin?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

/** The MAR steps of the original guide, through the SDK, in account `i`. Returns the certificate ARN. */
async function register(i: number, thingName: string, identity: DeviceIdentity, status?: CertificateStatus) {
  const iot = clients[i]!;
  const cert = await iot.send(
    new RegisterCertificateWithoutCACommand({
      certificatePem: identity.certificatePem,
      ...(status ? { status } : {}),
    }),
  );
  expect(cert.certificateId).toBe(identity.certificateId);
  await iot.send(new CreateThingCommand({ thingName }));
  await iot.send(new AttachThingPrincipalCommand({ thingName, principal: cert.certificateArn }));
  const region = accounts[i]!.region;
  const policyName = `${thingName}-policy`;
  const document = leastPrivilegePolicy({ accountId: accounts[i]!.accountId, region, dataEndpoint: "" });
  await iot.send(new CreatePolicyCommand({ policyName, policyDocument: JSON.stringify(document) }));
  await iot.send(new AttachPolicyCommand({ policyName, target: cert.certificateArn }));
  return { certificateArn: cert.certificateArn!, certificateId: cert.certificateId!, policyName };
}

/** Connection options from what a harness has: DescribeEndpoint and the twin's connect variable. */
async function probe(i: number, identity: DeviceIdentity, clientId: string): Promise<ProbeOptions> {
  const { endpointAddress } = await clients[i]!.send(
    new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }),
  );
  const [, port] = (accounts[i]!.env[MQTT_CONNECT_ENV] ?? "").split(":");
  return { port: Number(port), caPem, identity, servername: endpointAddress, clientId };
}

describe("data plane in the CloudTwin, registered through @aws-sdk/client-iot", () => {
  it("connects a certificate registered in both accounts to each, and refuses it where it is not", async () => {
    const identity = deviceIdentity("eval3-sdk-both");
    await register(0, "eval3-sdk-both", identity, "ACTIVE");
    await register(1, "eval3-sdk-both", identity, "ACTIVE");
    const inA = await connect(await probe(0, identity, "eval3-sdk-both"));
    const inB = await connect(await probe(1, identity, "eval3-sdk-both"));
    await subscribed(inA, "eval3-sdk-both/#");
    const got = message(inA, "eval3-sdk-both/telemetry");
    await inA.publishAsync("eval3-sdk-both/telemetry", "from A", { qos: 1 });
    expect((await got).payload.toString()).toBe("from A");
    await end(inA, inB);

    const onlyA = deviceIdentity("eval3-sdk-only-a");
    await register(0, "eval3-sdk-only-a", onlyA, "ACTIVE");
    const outcome = await attemptConnect(await probe(1, onlyA, "eval3-sdk-only-a"));
    expect(outcome).toMatchObject({
      kind: "closed-without-connack",
      tlsHandshakeCompleted: true,
      packetsReceived: [],
    });
  });

  it("refuses a certificate registered without status (INACTIVE) until UpdateCertificate ACTIVE", async () => {
    const identity = deviceIdentity("eval3-sdk-inactive");
    const { certificateId } = await register(0, "eval3-sdk-inactive", identity);
    const before = await attemptConnect(await probe(0, identity, "eval3-sdk-inactive"));
    expect(before).toMatchObject({ kind: "closed-without-connack", tlsHandshakeCompleted: true });
    await clients[0]!.send(new UpdateCertificateCommand({ certificateId, newStatus: "ACTIVE" }));
    const client = await connect(await probe(0, identity, "eval3-sdk-inactive"));
    await end(client);
  });

  it("disconnects a live session when UpdateCertificate sets it INACTIVE or REVOKED", async () => {
    for (const newStatus of ["INACTIVE", "REVOKED"] as const) {
      const thing = `eval3-sdk-${newStatus.toLowerCase()}`;
      const identity = deviceIdentity(thing);
      const { certificateId } = await register(1, thing, identity, "ACTIVE");
      const client = await connect(await probe(1, identity, thing));
      const gone = closed(client, thing);
      await clients[1]!.send(new UpdateCertificateCommand({ certificateId, newStatus }));
      await gone;
      const again = await attemptConnect(await probe(1, identity, thing));
      expect(again).toMatchObject({ kind: "closed-without-connack", tlsHandshakeCompleted: true });
      await end(client);
    }
  });

  it("applies DetachPolicy to the next publish: the connection is closed", async () => {
    const identity = deviceIdentity("eval3-sdk-detach");
    const { certificateArn, policyName } = await register(0, "eval3-sdk-detach", identity, "ACTIVE");
    const client = await connect(await probe(0, identity, "eval3-sdk-detach"));
    await client.publishAsync("eval3-sdk-detach/ok", "1", { qos: 1 });
    await clients[0]!.send(new DetachPolicyCommand({ policyName, target: certificateArn }));
    const gone = closed(client, "eval3-sdk-detach");
    client.publish("eval3-sdk-detach/ok", "2", { qos: 0 });
    await gone;
    await end(client);
  });

  it("accepts MQTT over WebSocket signed with the account's keys from the cloud object", async () => {
    const a = accounts[0]!;
    const key = { accountId: a.accountId, accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey };
    const account = { accountId: a.accountId, region: a.region, dataEndpoint: a.endpoint };
    const client = mqtt.connect({
      protocol: "wss",
      host: "127.0.0.1",
      port: a.dataPort,
      path: await presignedMqttPath(key, account),
      ca: caPem,
      clientId: "harness-sdk-ws",
      protocolVersion: 4,
      reconnectPeriod: 0,
      wsOptions: Object.assign({ headers: { host: a.endpoint } }, { servername: a.endpoint }),
    });
    await withDeadline(new Promise((resolve) => client.once("connect", resolve)), "WebSocket CONNACK");
    await end(client);
  });

  it("exposes the broker-restart fault through CloudTwin.dataPlane", async () => {
    const identity = deviceIdentity("eval3-sdk-restart");
    await register(0, "eval3-sdk-restart", identity, "ACTIVE");
    const client = await connect(await probe(0, identity, "eval3-sdk-restart"));
    const gone = closed(client, "eval3-sdk-restart");
    await twin.dataPlane?.restart?.();
    await gone;
    const back = await connect(await probe(0, identity, "eval3-sdk-restart"));
    expect(back.connected).toBe(true);
    await end(client, back);
  });
});
