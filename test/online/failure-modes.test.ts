// firmware-shell §8: each misconfiguration fails the way the firmware fails, backs off within the
// §8.1 bounds, and recovers once the cause is fixed.
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { UpdateCertificateCommand } from "@aws-sdk/client-iot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ecdsaSigner, issueCertificate } from "../../crypto/x509-certificate.ts";
import { OnlineLab, ROOT_CA_PEM } from "../support/online-lab.ts";

const CONNECTED = "Starting a clean MQTT Session.";
const CLOSED_WITHOUT_CONNACK = [
  "[MQTTAgent ] Network connection 0x20033c10: TLS handshake successful. (mbedtls_transport.c:1368)",
  ":8883 established. (mbedtls_transport.c:1375)",
  "[MQTTAgent ] 0x20033ce0: mbedtls_ssl_handle_message_type() returned -30848 (-0x7880) (ssl_msg.c:3604)",
  "[MQTTAgent ] 0x20033ce0: mbedtls_ssl_read_record() returned -30848 (-0x7880) (ssl_msg.c:5123)",
  "[MQTTAgent ] A single byte was not read from the transport: transportStatus=-1. (core_mqtt_serializer.c:2615)",
  "[MQTTAgent ] CONNACK recv failed with status = MQTTRecvFailed. (core_mqtt.c:2364)",
  "[MQTTAgent ] MQTT connection failed with status = MQTTRecvFailed. (core_mqtt.c:2689)",
  "[MQTTAgent ] Failed to connect to mqtt broker. (mqtt_agent_task.c:1210)",
  "[MQTTAgent ] Disconnected from the MQTT Broker. Retrying in ",
];

/** The lines appear one after the other (consecutive log lines of the MQTTAgent task). */
function consecutive(lines: string[], block: string[]): void {
  const agent = lines.filter((l) => l.includes("[MQTTAgent ]"));
  const start = agent.findIndex((l) => l.includes(block[0] as string));
  expect(start, `"${block[0]}" in ${JSON.stringify(agent.slice(-12), null, 1)}`).toBeGreaterThanOrEqual(0);
  block.forEach((needle, i) => expect(agent[start + i]).toContain(needle));
}

/** The N of every "Retrying … in N ms" line. */
function delays(lines: string[], kind: "connection" | "broker"): number[] {
  const re =
    kind === "connection"
      ? /Retrying connection in (\d+) ms\./
      : /from the MQTT Broker\. Retrying in (\d+) ms\./;
  return lines.flatMap((l) => {
    const m = re.exec(l);
    return m ? [Number(m[1])] : [];
  });
}

function otherRootCaPem(): string {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = [["CN", "Not An AWS Root"]] as const;
  const der = issueCertificate({
    serial: Buffer.from([7]),
    issuer: name,
    subject: name,
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2040-01-01T00:00:00Z"),
    publicKey,
    signer: ecdsaSigner(privateKey),
    isCa: true,
  });
  return new X509Certificate(der).toString();
}

describe("failure modes (§8)", () => {
  let lab: OnlineLab;
  beforeEach(async () => {
    lab = await OnlineLab.start();
  });
  afterEach(async () => {
    await lab.close();
  });

  it("wrong Wi-Fi credential: no Station Up, MQTT waits silently; a staged fix is used at the next retry (§8.6, §3.2)", async () => {
    await lab.configure({ psk: "wrong-passphrase" });
    await lab.register();
    await lab.reset();
    await lab.console.until("HW Address:", 5000);
    await new Promise((r) => setTimeout(r, 60_000 / 25));
    const lines = lab.logLines().join("\n");
    expect(lines).not.toContain("Station Up");
    expect(lines).not.toContain("Attempting a TLS connection");
    lab.send("conf set wifi_credential mar-hil-lab-psk\r");
    await lab.console.until(CONNECTED, 30_000);
    expect(lab.logLines().join("\n")).toContain("Mx Status notification: None -> Station Up");
  }, 120_000);

  it("unknown endpoint: DNS fails and TLS-level retries back off within 1 s, 2 s, 4 s (§8.3, §8.1)", async () => {
    await lab.configure({ endpoint: "nothere-ats.iot.us-east-1.amazonaws.com" });
    await lab.reset();
    for (let i = 0; i < 3; i++) await lab.console.until("Retrying connection in", 30_000);
    const lines = lab.logLines();
    consecutive(lines, [
      "[MQTTAgent ] Attempting a TLS connection to nothere-ats.iot.us-east-1.amazonaws.com:8883. (mqtt_agent_task.c:1121)",
      "[MQTTAgent ] Failed to resolve hostname: nothere-ats.iot.us-east-1.amazonaws.com to IP address. (mbedtls_transport.c:1104)",
      "[MQTTAgent ] Network connection 0x20033c10: to nothere-ats.iot.us-east-1.amazonaws.com:8883 failed. (mbedtls_transport.c:1400)",
      "[MQTTAgent ] Connecting to the mqtt broker failed. Retrying connection in ",
    ]);
    const d = delays(lines, "connection");
    [1000, 2000, 4000].forEach((bound, i) => expect(d[i]).toBeLessThanOrEqual(bound));
    for (const ms of d) expect(ms % 100).toBe(0);

    await lab.register();
    lab.send(`conf set mqtt_endpoint ${lab.account().endpoint}\rconf commit\r`);
    await lab.console.until("Configuration saved to NVM.");
    await lab.reset();
    await lab.console.until(CONNECTED, 30_000);
  }, 120_000);

  it("wrong port: the SYNs go unanswered, no Connected socket, then a retry (§8.4)", async () => {
    await lab.configure({ port: 1883 });
    await lab.register();
    await lab.reset();
    await lab.console.until("Retrying connection in", 30_000);
    const lines = lab.logLines();
    consecutive(lines, [
      "port: 1883h for host:",
      "failed. (mbedtls_transport.c:1400)",
      "Retrying connection in",
    ]);
    expect(lines.join("\n")).not.toContain("Connected socket");
    lab.send("conf set mqtt_port 443\rconf commit\r");
    await lab.console.until("Configuration saved to NVM.");
    await lab.reset();
    await lab.console.until(CONNECTED, 30_000);
    expect(lab.logLines().join("\n")).toContain("port: 443h for host:");
  }, 120_000);

  it("wrong root CA: certificate verification fails the handshake; the right CA fixes it (§8.5)", async () => {
    await lab.configure({ rootCaPem: otherRootCaPem() });
    await lab.register();
    await lab.reset();
    await lab.console.until("Retrying connection in", 30_000);
    consecutive(lab.logLines(), [
      "Connected socket: 0 to host:",
      "[MQTTAgent ] 0x20033ce0: x509_verify_cert() returned -9984 (-0x2700) (ssl_tls.c:2119)",
      "[MQTTAgent ] Failed to perform TLS handshake: Error: X509 - Certificate verification failed, e.g. CRL, CA or signature check failed : <No-Low-Level-Code>. (mbedtls_transport.c:1360)",
      "failed. (mbedtls_transport.c:1400)",
      "Connecting to the mqtt broker failed. Retrying connection in ",
    ]);
    lab.send(`pki import cert root_ca_cert\r${ROOT_CA_PEM.trim().split("\n").join("\r")}\r`);
    await lab.console.until("Success: Certificate loaded");
    await lab.reset();
    await lab.console.until(CONNECTED, 30_000);
  }, 120_000);

  it("unregistered certificate: TLS completes, the broker closes without CONNACK; registering fixes it (§8.2)", async () => {
    await lab.configure();
    await lab.reset();
    for (let i = 0; i < 2; i++)
      await lab.console.until("Disconnected from the MQTT Broker. Retrying in", 30_000);
    consecutive(lab.logLines(), CLOSED_WITHOUT_CONNACK);
    const d = delays(lab.logLines(), "broker");
    // The back-off restarts with every connect cycle: each delay is within 0–1000 ms.
    for (const ms of d) expect(ms).toBeLessThanOrEqual(1000);
    await lab.register();
    await lab.console.until(CONNECTED, 30_000);
  }, 120_000);

  it("INACTIVE certificate is refused the same way until it is activated (§8.2)", async () => {
    await lab.configure();
    const arn = await lab.register({ status: "INACTIVE" });
    await lab.reset();
    await lab.console.until("Disconnected from the MQTT Broker. Retrying in", 30_000);
    consecutive(lab.logLines(), CLOSED_WITHOUT_CONNACK);
    await lab
      .iot()
      .send(new UpdateCertificateCommand({ certificateId: arn.split("/")[1], newStatus: "ACTIVE" }));
    await lab.console.until(CONNECTED, 30_000);
  }, 120_000);

  it("REVOKED while connected: the session ends and every reconnect is refused (§8.7, §8.2)", async () => {
    await lab.configure();
    const arn = await lab.register();
    await lab.reset();
    await lab.console.until("Successfully sent QoS 1 publish", 30_000);
    lab.markLogs();
    await lab
      .iot()
      .send(new UpdateCertificateCommand({ certificateId: arn.split("/")[1], newStatus: "REVOKED" }));
    await lab.console.until("Disconnected from the MQTT Broker. Retrying in", 30_000);
    await lab.console.until("CONNACK recv failed with status = MQTTRecvFailed.", 30_000);
    await lab.console.until("Disconnected from the MQTT Broker. Retrying in", 30_000);
    expect(lab.logLines().join("\n")).not.toContain("MQTT Session.");
  }, 120_000);

  it("a policy that denies iot:Connect for this client id is refused like an unknown certificate (§8.2)", async () => {
    await lab.configure();
    const a = lab.account();
    const denyOthers = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "iot:Connect",
          Resource: `arn:aws:iot:${a.region}:${a.accountId}:client/someone-else`,
        },
      ],
    });
    await lab.register({ policy: denyOthers });
    await lab.reset();
    await lab.console.until("Disconnected from the MQTT Broker. Retrying in", 30_000);
    consecutive(lab.logLines(), CLOSED_WITHOUT_CONNACK);
  }, 120_000);

  it("broker restart: the board reconnects and resumes its persistent session (§8.7)", async () => {
    await lab.configure();
    await lab.register();
    await lab.reset();
    await lab.console.until("Successfully sent QoS 1 publish", 30_000);
    lab.markLogs();
    await lab.sim.cloud.dataPlane?.restart?.();
    await lab.console.until("Disconnected from the MQTT Broker. Retrying in", 30_000);
    await lab.console.until("Resuming persistent MQTT Session.", 30_000);
    await lab.console.until("Successfully sent QoS", 30_000);
    const lines = lab.logLines().join("\n");
    expect(lines).not.toContain("Starting a clean MQTT Session.");
  }, 120_000);
});
