// The observer's own MQTT 3.1.1 connection through mqtt.js: SigV4 WebSocket on 443 or mTLS on 8883
// (aws-iot §4.1), always with the endpoint as SNI, CONNACK awaited with a deadline.
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { ObserveError } from "./errors.ts";
import { presignedMqttPath } from "./sigv4-url.ts";
import type { DataTarget, ObserverTransport } from "./types.ts";

export interface OpenOptions {
  target: DataTarget;
  transport: ObserverTransport;
  clientId: string;
  /** Deadline for CONNACK, ms. */
  within: number;
  signal?: AbortSignal;
}

async function clientOptions(o: OpenOptions): Promise<IClientOptions> {
  const { target } = o;
  const common: IClientOptions = {
    host: target.host,
    clientId: o.clientId,
    protocolVersion: 4,
    clean: true,
    // A lost observer is reported, never silently replaced: assertions would miss what happened meanwhile.
    reconnectPeriod: 0,
    connectTimeout: o.within,
    keepalive: 60,
    servername: target.endpoint,
    ...(target.ca ? { ca: target.ca } : {}),
  };
  if (o.transport.kind === "mtls") {
    return {
      ...common,
      protocol: "mqtts",
      port: target.port ?? 8883,
      cert: o.transport.certificatePem,
      key: o.transport.keyPem,
    };
  }
  const credentials = await o.transport.credentials();
  return {
    ...common,
    protocol: "wss",
    port: target.port ?? 443,
    path: await presignedMqttPath(target.endpoint, target.region, credentials),
    // The signed host is the endpoint, whatever address the TCP connection goes to.
    // `servername` reaches the TLS socket though the ws option types omit it.
    wsOptions: Object.assign({ headers: { host: target.endpoint } }, { servername: target.endpoint }),
  };
}

export async function openMqtt(o: OpenOptions): Promise<MqttClient> {
  const options = await clientOptions(o);
  const started = Date.now();
  const client = mqtt.connect(options);
  const what = `CONNACK for observer ${o.clientId} at ${o.target.endpoint} (${o.transport.kind}, via ${o.target.host}:${options.port})`;
  return new Promise<MqttClient>((resolve, reject) => {
    let lastError: string | undefined;
    const fail = (code: "OBSERVER_CONNECT_FAILED" | "ABORTED", why: string): void => {
      cleanup();
      client.end(true);
      const elapsedMs = Date.now() - started;
      reject(
        new ObserveError(code, `no ${what} after ${elapsedMs} ms: ${why}`, {
          awaited: what,
          elapsedMs,
          seen: lastError ? [lastError] : [],
        }),
      );
    };
    const timer = setTimeout(() => fail("OBSERVER_CONNECT_FAILED", "deadline passed"), o.within);
    const onAbort = (): void => fail("ABORTED", "cancelled");
    const onError = (e: Error): void => {
      lastError = e.message;
    };
    // aws-iot §4.2: a refused identity or policy is a close without CONNACK.
    const onClose = (): void =>
      fail(
        "OBSERVER_CONNECT_FAILED",
        `connection closed without CONNACK${lastError ? ` (${lastError})` : ""}; check the observer's credentials or policy`,
      );
    const onConnect = (): void => {
      cleanup();
      resolve(client);
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      client.off("connect", onConnect);
      client.off("close", onClose);
      client.off("error", onError);
    };
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener("abort", onAbort, { once: true });
    client.on("error", onError);
    client.once("connect", onConnect);
    client.once("close", onClose);
  });
}
