// The benchmark's load: N clients at once, each an mTLS connect then 10 QoS 1 publishes, one after
// the other (each waits for its PUBACK, as the firmware does), then a clean disconnect.
import mqtt from "mqtt";

export interface LoadTarget {
  port: number;
  /** SNI and the name the server certificate is checked against. */
  servername: string;
  caPem: string;
}

export interface LoadClient {
  clientId: string;
  certPem: string;
  keyPem: string;
}

export const PUBLISHES_PER_CLIENT = 10;
const DEADLINE_MS = 60_000;

async function oneClient(target: LoadTarget, c: LoadClient): Promise<void> {
  const client = await mqtt.connectAsync({
    protocol: "mqtts",
    host: "127.0.0.1",
    port: target.port,
    servername: target.servername,
    ca: target.caPem,
    cert: c.certPem,
    key: c.keyPem,
    clientId: c.clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: DEADLINE_MS,
  });
  try {
    for (let i = 1; i <= PUBLISHES_PER_CLIENT; i++) {
      await client.publishAsync(`${c.clientId}/bench`, `{"n":${i}}`, { qos: 1 });
    }
  } finally {
    await client.endAsync();
  }
}

/** Runs every client at once; the wall time in ms from the first connect to the last disconnect. */
export async function runLoad(target: LoadTarget, clients: readonly LoadClient[]): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`load did not finish in ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  try {
    await Promise.race([Promise.all(clients.map((c) => oneClient(target, c))), deadline]);
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - started;
}
