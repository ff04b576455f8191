// Test helper: real mqtt.js clients over mTLS against the data plane, connecting to 127.0.0.1 with
// the endpoint host as SNI (aws-iot §4.1), and what they observed.
import type { TLSSocket } from "node:tls";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { nextEvent, withDeadline } from "./deadline.ts";
import type { DeviceIdentity } from "./test-pki.ts";

export interface ProbeOptions {
  port: number;
  caPem: string;
  identity?: DeviceIdentity;
  /** SNI; undefined sends none. */
  servername: string | undefined;
  clientId: string;
  alpn?: string[];
  will?: IClientOptions["will"];
  keepalive?: number;
}

/** How a connection attempt ended: CONNACK, or closed without one (after or during the TLS handshake). */
export type ConnectOutcome =
  | { kind: "connack"; client: MqttClient }
  | {
      kind: "closed-without-connack";
      tlsHandshakeCompleted: boolean;
      packetsReceived: string[];
      error?: string;
    };

export function mqttOptions(o: ProbeOptions): IClientOptions {
  return {
    protocol: "mqtts",
    host: "127.0.0.1",
    port: o.port,
    ...(o.servername ? { servername: o.servername } : {}),
    ca: o.caPem,
    ...(o.identity ? { key: o.identity.keyPem, cert: o.identity.certificatePem } : {}),
    ...(o.alpn ? { ALPNProtocols: o.alpn } : {}),
    // Without SNI there is no name to check the server certificate against; the chain still is.
    ...(o.servername ? {} : { checkServerIdentity: () => undefined }),
    clientId: o.clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 8_000,
    keepalive: o.keepalive ?? 60,
    ...(o.will ? { will: o.will } : {}),
  };
}

export function attemptConnect(o: ProbeOptions): Promise<ConnectOutcome> {
  const client = mqtt.connect(mqttOptions(o));
  let tlsHandshakeCompleted = false;
  const packetsReceived: string[] = [];
  let error: string | undefined;
  (client.stream as TLSSocket | undefined)?.once("secureConnect", () => (tlsHandshakeCompleted = true));
  client.on("packetreceive", (p) => packetsReceived.push(p.cmd));
  client.on("error", (e) => (error = e.message));
  return withDeadline(
    new Promise<ConnectOutcome>((resolve) => {
      client.once("connect", () => resolve({ kind: "connack", client }));
      client.once("close", () => {
        client.end(true);
        resolve({
          kind: "closed-without-connack",
          tlsHandshakeCompleted,
          packetsReceived,
          ...(error ? { error } : {}),
        });
      });
    }),
    `connect of ${o.clientId}`,
  );
}

export async function connect(o: ProbeOptions): Promise<MqttClient> {
  const outcome = await attemptConnect(o);
  if (outcome.kind !== "connack") throw new Error(`${o.clientId} was refused: ${JSON.stringify(outcome)}`);
  return outcome.client;
}

export const closed = (client: MqttClient, what: string): Promise<unknown> =>
  client.disconnected
    ? Promise.resolve()
    : nextEvent(client, "close", () => true, `${what}: connection closed`);

export async function subscribed(client: MqttClient, filter: string, qos: 0 | 1 = 1): Promise<void> {
  const granted = await withDeadline(client.subscribeAsync(filter, { qos }), `SUBACK for ${filter}`);
  if (granted.some((g) => g.qos === 128)) throw new Error(`subscription to ${filter} refused with 0x80`);
}

/** The next message on `topic`, parsed as JSON when `json`. */
export async function message(
  client: MqttClient,
  topic: string,
): Promise<{ payload: Buffer; retain: boolean }> {
  const [, payload, packet] = await nextEvent<[string, Buffer, { retain: boolean }]>(
    client,
    "message",
    (t) => t === topic,
    `a message on ${topic}`,
  );
  return { payload, retain: packet.retain };
}

export const end = (...clients: MqttClient[]): Promise<unknown> =>
  Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
