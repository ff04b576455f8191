// Test fixture: a CloudTwin in a temporary state directory, things registered the MAR way through
// the real @aws-sdk/client-iot, and mqtt.js devices connected with their own certificates.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  IoTClient,
  RegisterCertificateWithoutCACommand,
} from "@aws-sdk/client-iot";
import type { MqttClient } from "mqtt";
import { CloudTwin, type CloudAccountDescription } from "../../index.ts";
import { connect, end, message, type ProbeOptions } from "./mqtt-probe.ts";
import { deviceIdentity, type DeviceIdentity } from "./test-pki.ts";

/** Statements for a thing's own topics and its reserved `$aws/things/<thing>/…` topics (aws-iot §4.5). */
export function thingPolicy(a: CloudAccountDescription, receive: string[] = ["*"]): string {
  const arn = (kind: string, rest: string): string =>
    `arn:aws:iot:${a.region}:${a.accountId}:${kind}/${rest}`;
  const thing = "${iot:Connection.Thing.ThingName}";
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "iot:Connect", Resource: arn("client", thing) },
      { Effect: "Allow", Action: "iot:Publish", Resource: arn("topic", `$aws/things/${thing}/*`) },
      {
        Effect: "Allow",
        Action: "iot:Subscribe",
        // The firmware subscribes with `+` for the thing (firmware-shell §9.2); Receive still checks the topic.
        Resource: [arn("topicfilter", `$aws/things/${thing}/*`), arn("topicfilter", "$aws/things/+/*")],
      },
      {
        Effect: "Allow",
        Action: "iot:Receive",
        Resource: receive.map((r) => arn("topic", `$aws/things/${thing}/${r}`)),
      },
    ],
  });
}

export type JsonBody = Record<string, unknown>;

/** Publishes `payload` to `request` and returns the JSON that arrives next on `answer`. */
export async function ask(
  client: MqttClient,
  request: string,
  answer: string,
  payload: string | Buffer,
): Promise<JsonBody> {
  const got = message(client, answer);
  await client.publishAsync(request, payload, { qos: 1 });
  return JSON.parse((await got).payload.toString()) as JsonBody;
}

export class SdkLab implements AsyncDisposable {
  private readonly clients: MqttClient[] = [];
  private policies = 0;

  private constructor(
    readonly twin: CloudTwin,
    readonly stateDir: string,
    readonly iot: IoTClient[],
    private readonly caPem: string,
  ) {}

  static async start(stateDir = mkdtempSync(join(tmpdir(), "mar-hil-sdk-lab-"))): Promise<SdkLab> {
    const twin = await CloudTwin.start({ stateDir });
    const description = twin.describe();
    const iot = description.accounts.map(
      (a) =>
        new IoTClient({
          endpoint: a.controlPlaneUrl,
          region: a.region,
          credentials: { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey },
        }),
    );
    return new SdkLab(twin, stateDir, iot, readFileSync(description.caFile, "utf8"));
  }

  account(i = 0): CloudAccountDescription {
    return this.twin.describe().accounts[i] as CloudAccountDescription;
  }

  /** RegisterCertificateWithoutCA (ACTIVE), CreateThing, AttachThingPrincipal, CreatePolicy, AttachPolicy. */
  async register(thingName: string, policy = thingPolicy(this.account()), i = 0): Promise<DeviceIdentity> {
    const iot = this.iot[i] as IoTClient;
    const identity = deviceIdentity(thingName);
    const { certificateArn } = await iot.send(
      new RegisterCertificateWithoutCACommand({ certificatePem: identity.certificatePem, status: "ACTIVE" }),
    );
    await iot.send(new CreateThingCommand({ thingName }));
    await iot.send(new AttachThingPrincipalCommand({ thingName, principal: certificateArn }));
    const policyName = `${thingName}-policy-${++this.policies}`;
    await iot.send(new CreatePolicyCommand({ policyName, policyDocument: policy }));
    await iot.send(new AttachPolicyCommand({ policyName, target: certificateArn }));
    return identity;
  }

  probe(identity: DeviceIdentity, clientId: string, i = 0): ProbeOptions {
    const a = this.account(i);
    return { port: a.dataPort ?? 0, caPem: this.caPem, identity, servername: a.endpoint, clientId };
  }

  /** A connected mqtt.js client, ended when the lab is disposed. */
  async device(identity: DeviceIdentity, clientId: string, i = 0): Promise<MqttClient> {
    const client = await connect(this.probe(identity, clientId, i));
    this.clients.push(client);
    return client;
  }

  /** Closes the twin, keeping the state directory (for a restart on it). */
  async stop(): Promise<void> {
    await end(...this.clients);
    for (const c of this.iot) c.destroy();
    await this.twin.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
