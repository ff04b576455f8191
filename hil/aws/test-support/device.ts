// Test support: a device simulated with mqtt.js and its own registered certificate, connecting as
// the firmware does (client id = thing name, endpoint as SNI, firmware-shell §9.1) — the same
// MAR_HIL_MQTT_CONNECT and DescribeEndpoint resolution as the observer.
import type { IoTClient } from "@aws-sdk/client-iot";
import mqtt, { type MqttClient } from "mqtt";
import { resolveDataTarget } from "../../observe/index.ts";
import type { Environment } from "../client.ts";

export type DeviceOutcome = { kind: "connack"; client: MqttClient } | { kind: "closed"; error?: string };

export interface DeviceOptions {
  iot: IoTClient;
  env: Environment;
  ca: string;
  clientId: string;
  certificatePem: string;
  keyPem: string;
}

const DEADLINE_MS = 10_000;

/** Connects; resolves on CONNACK or on a close without one (aws-iot §4.2: how a refusal looks). */
export async function connectDevice(o: DeviceOptions): Promise<DeviceOutcome> {
  const target = await resolveDataTarget(o.iot, { env: o.env, ca: o.ca });
  const client = mqtt.connect({
    protocol: "mqtts",
    host: target.host,
    port: target.port ?? 8883,
    servername: target.endpoint,
    ca: o.ca,
    cert: o.certificatePem,
    key: o.keyPem,
    clientId: o.clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: DEADLINE_MS,
    keepalive: 60,
  });
  let error: string | undefined;
  client.on("error", (e) => (error = e.message));
  return new Promise((resolve) => {
    client.once("connect", () => resolve({ kind: "connack", client }));
    client.once("close", () => resolve({ kind: "closed", ...(error ? { error } : {}) }));
  });
}

export async function connectedDevice(o: DeviceOptions): Promise<MqttClient> {
  const outcome = await connectDevice(o);
  if (outcome.kind !== "connack")
    throw new Error(`device ${o.clientId} was refused: ${outcome.error ?? "closed"}`);
  return outcome.client;
}

/** Resolves when the broker closes `client`'s connection (a policy denial, aws-iot §4.4). */
export function closedByBroker(client: MqttClient, what: string): Promise<void> {
  if (client.disconnected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`deadline passed waiting for the broker to close ${what}`)),
      DEADLINE_MS,
    );
    client.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
