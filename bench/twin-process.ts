// The cloud twin for bench/broker.ts in a process of its own, as Mosquitto has one: the load
// generator's TLS work must not share the twin's event loop. Driven over the fork IPC channel:
// {clients} in, {port, endpoint, caPem, certPem, keyPem} out, "stop" to close.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudTwin } from "../cloud/index.ts";
import type { LoadClient } from "./broker-load.ts";

export interface TwinReady {
  port: number;
  endpoint: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** The MAR registration of every client in the twin's first account, with the least-privilege policy. */
function register(twin: CloudTwin, clients: readonly LoadClient[]): void {
  const account = twin.describe().accounts[0];
  if (!account) throw new Error("the twin has no account");
  const registry = twin.registry.account(account.accountId);
  const arn = `arn:aws:iot:${account.region}:${account.accountId}`;
  const thing = "${iot:Connection.Thing.ThingName}";
  registry.createPolicy(
    "bench-policy",
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "iot:Connect", Resource: `${arn}:client/${thing}` },
        { Effect: "Allow", Action: "iot:Publish", Resource: `${arn}:topic/${thing}/*` },
      ],
    }),
  );
  for (const c of clients) {
    const { certificateArn } = registry.registerCertificateWithoutCa(c.certPem, "ACTIVE");
    registry.createThing(c.clientId);
    registry.attachThingPrincipal(c.clientId, certificateArn);
    registry.attachPolicy("bench-policy", certificateArn);
  }
}

async function serve(clients: LoadClient[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-bench-twin-"));
  const twin = await CloudTwin.start({ stateDir: dir, accounts: 1 });
  register(twin, clients);
  const account = twin.describe().accounts[0];
  if (!account?.dataPort) throw new Error("the twin has no data plane");
  const server = twin.issueServerCertificate(account.endpoint);
  const ready: TwinReady = {
    port: account.dataPort,
    endpoint: account.endpoint,
    caPem: twin.ca.certificatePem,
    certPem: server.cert.toString(),
    keyPem: server.key.toString(),
  };
  process.send?.(ready);
  process.once("message", () => {
    void twin.close().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

process.once("message", (m: { clients: LoadClient[] }) => {
  serve(m.clients).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
});
