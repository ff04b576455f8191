// A simulated lab for the "board goes online" tests: the cloud twin, one board on an in-process link
// with a sped-up clock, an AWS SDK client per account and an MQTT observer with its own identity.
import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
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
  type CertificateStatus,
} from "@aws-sdk/client-iot";
import mqtt, { type MqttClient } from "mqtt";
import { ecdsaSigner, issueCertificate } from "../../crypto/x509-certificate.ts";
import { Simulation } from "../../cli/simulation.ts";
import type { CloudAccountDescription } from "../../cloud/index.ts";
import type { SimulatedBoard } from "../../simulator/fleet.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { DEFAULT_ACCESS_POINT } from "../../simulator/world/wifi.ts";
import { TextCollector } from "./byte-channel.ts";

export const ROOT_CA_PEM = readFileSync(
  new URL("../../data/aws-root-cas/SFSRootCAG2.pem", import.meta.url),
  "latin1",
);

/** Firmware milliseconds per real millisecond in these tests. */
export const TIME_SCALE = 25;

/** clientId = thing name, topics under the thing's prefix and the reserved topics it uses (aws-iot §4.5). */
export function leastPrivilegePolicy(a: CloudAccountDescription): string {
  const arn = (kind: string, rest: string): string =>
    `arn:aws:iot:${a.region}:${a.accountId}:${kind}/${rest}`;
  const thing = "${iot:Connection.Thing.ThingName}";
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "iot:Connect", Resource: arn("client", thing) },
      {
        Effect: "Allow",
        Action: ["iot:Publish", "iot:Receive"],
        Resource: [arn("topic", `${thing}/*`), arn("topic", `$aws/things/${thing}/*`)],
      },
      {
        Effect: "Allow",
        Action: "iot:Subscribe",
        Resource: [
          arn("topicfilter", `${thing}/*`),
          arn("topicfilter", `$aws/things/${thing}/*`),
          arn("topicfilter", "$aws/things/+/*"),
        ],
      },
    ],
  });
}

export class OnlineLab {
  readonly console = new TextCollector();
  private all = "";

  private constructor(
    readonly sim: Simulation,
    readonly board: SimulatedBoard,
    private readonly dir: string,
  ) {
    board.stream?.on("data", (b: Buffer) => {
      this.console.push(b);
      this.all += b.toString("latin1");
    });
  }

  static async start(): Promise<OnlineLab> {
    const dir = mkdtempSync(join(tmpdir(), "mar-hil-online-"));
    const sim = await Simulation.start({
      stateDir: dir,
      boards: 1,
      link: "inproc",
      clock: new SystemClock(TIME_SCALE),
    });
    const lab = new OnlineLab(sim, sim.fleet.boards[0] as SimulatedBoard, dir);
    await lab.console.until("Waiting until MQTT Agent is connected.");
    return lab;
  }

  account(i = 0): CloudAccountDescription {
    return this.sim.cloud.describe().accounts[i] as CloudAccountDescription;
  }

  iot(i = 0): IoTClient {
    const a = this.account(i);
    return new IoTClient({
      endpoint: a.controlPlaneUrl,
      region: a.region,
      credentials: { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey },
    });
  }

  get thingName(): string {
    return this.board.board.thingName;
  }

  send(text: string): void {
    this.board.stream?.write(Buffer.from(text, "latin1"));
  }

  /** Log lines since the last mark, with the console's redraw taken out. */
  logLines(): string[] {
    return this.all
      .split("\r\n")
      .map((l) => l.replace(/^(> )?\r\x1b\[K/, ""))
      .filter((l) => l.startsWith("<"));
  }

  markLogs(): void {
    this.all = "";
  }

  /** The original guide's console steps, verified by the board's answers. */
  async configure(
    c: { endpoint?: string; port?: number; ssid?: string; psk?: string; rootCaPem?: string } = {},
  ) {
    this.send(
      `pki import cert root_ca_cert\r${(c.rootCaPem ?? ROOT_CA_PEM).trim().split("\n").join("\r")}\r`,
    );
    await this.console.until("Success: Certificate loaded to label: 'root_ca_cert'.");
    this.send(`conf set mqtt_endpoint ${c.endpoint ?? this.account().endpoint}\r`);
    this.send(`conf set mqtt_port ${c.port ?? 8883}\r`);
    this.send(`conf set wifi_ssid ${c.ssid ?? DEFAULT_ACCESS_POINT.ssid}\r`);
    this.send(`conf set wifi_credential ${c.psk ?? DEFAULT_ACCESS_POINT.credential}\r`);
    this.send("conf commit\r");
    await this.console.until("Configuration saved to NVM.");
  }

  /** MAR registration of the board's certificate in an account. */
  async register(o: { account?: number; status?: CertificateStatus; policy?: string } = {}): Promise<string> {
    const iot = this.iot(o.account);
    const pem = new X509Certificate(this.board.board.se.certificateDer).toString();
    const { certificateArn } = await iot.send(
      new RegisterCertificateWithoutCACommand({ certificatePem: pem, status: o.status ?? "ACTIVE" }),
    );
    await iot.send(new CreateThingCommand({ thingName: this.thingName }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: this.thingName, principal: certificateArn }));
    const policyName = `policy-${randomBytes(4).toString("hex")}`;
    await iot.send(
      new CreatePolicyCommand({
        policyName,
        policyDocument: o.policy ?? leastPrivilegePolicy(this.account(o.account)),
      }),
    );
    await iot.send(new AttachPolicyCommand({ policyName, target: certificateArn }));
    return certificateArn as string;
  }

  async reset(): Promise<void> {
    this.markLogs();
    this.send("reset\r");
    await this.console.until("Resetting device.");
  }

  /** An MQTT client with an identity of its own, allowed to watch everything in the account. */
  async observer(account = 0): Promise<MqttClient> {
    const a = this.account(account);
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const name = [["CN", `observer-${randomBytes(4).toString("hex")}`]] as const;
    const der = issueCertificate({
      serial: randomBytes(8),
      issuer: name,
      subject: name,
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2044-01-01T00:00:00Z"),
      publicKey,
      signer: ecdsaSigner(privateKey),
    });
    const pem = new X509Certificate(der).toString();
    const iot = this.iot(account);
    const { certificateArn } = await iot.send(
      new RegisterCertificateWithoutCACommand({ certificatePem: pem, status: "ACTIVE" }),
    );
    const policyName = `observer-${randomBytes(4).toString("hex")}`;
    await iot.send(
      new CreatePolicyCommand({
        policyName,
        policyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "iot:*", Resource: "*" }],
        }),
      }),
    );
    await iot.send(new AttachPolicyCommand({ policyName, target: certificateArn }));
    const client = mqtt.connect({
      protocol: "mqtts",
      host: "127.0.0.1",
      port: a.dataPort,
      servername: a.endpoint,
      ALPNProtocols: ["x-amzn-mqtt-ca"],
      ca: this.sim.cloud.ca.certificatePem,
      cert: pem,
      key: privateKey.export({ type: "pkcs8", format: "pem" }),
      clientId: policyName,
      reconnectPeriod: 0,
    });
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    return client;
  }

  async close(): Promise<void> {
    await this.sim.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
