// design.md performance targets, "broker": mTLS connect + 10 QoS 1 publishes per client, the cloud
// twin's data plane against Mosquitto with the same certificates, in one run. Rounds alternate which
// broker goes first to spread noise; the median ops/s of each and their ratio are printed (target
// ratio ≥ 1.0). A benchmark, not a test: it prints figures and asserts nothing.
//   npm run bench:broker -- [--clients N] [--rounds R]
import { generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CloudTwin } from "../cloud/index.ts";
import { ecdsaSigner, issueCertificate, type DistinguishedName } from "../crypto/x509-certificate.ts";
import { PUBLISHES_PER_CLIENT, runLoad, type LoadClient, type LoadTarget } from "./broker-load.ts";
import { startMosquitto, type RunningMosquitto } from "./mosquitto.ts";

const NOT_BEFORE = new Date("2024-01-01T00:00:00Z");
const NOT_AFTER = new Date("2044-01-01T00:00:00Z");
const CA_NAME: DistinguishedName = [["CN", "mar-hil bench client CA"]];
const pem = (der: Buffer): string => new X509Certificate(der).toString();
const keyPem = (k: KeyObject): string => k.export({ format: "pem", type: "pkcs8" }).toString();

/** Device certificates from one CA: Mosquitto checks the chain, the twin registers them without CA (MAR). */
function clientIdentities(n: number): { caPem: string; clients: LoadClient[] } {
  const ca = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const signer = ecdsaSigner(ca.privateKey);
  const caPem = pem(
    issueCertificate({
      serial: randomBytes(8),
      issuer: CA_NAME,
      subject: CA_NAME,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      publicKey: ca.publicKey,
      signer,
      isCa: true,
    }),
  );
  const clients = Array.from({ length: n }, (_, i) => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const clientId = `bench-${String(i).padStart(4, "0")}`;
    const der = issueCertificate({
      serial: randomBytes(8),
      issuer: CA_NAME,
      subject: [["CN", clientId]],
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      publicKey,
      signer,
      leaf: { extendedKeyUsage: ["clientAuth"] },
    });
    return { clientId, certPem: pem(der), keyPem: keyPem(privateKey) };
  });
  return { caPem, clients };
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { clients: { type: "string", default: "50" }, rounds: { type: "string", default: "7" } },
  });
  const n = Number(values.clients);
  const rounds = Number(values.rounds);
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-bench-broker-"));
  let twin: CloudTwin | undefined;
  let mosquitto: RunningMosquitto | undefined;
  try {
    twin = await CloudTwin.start({ stateDir: join(dir, "state"), accounts: 1 });
    const account = twin.describe().accounts[0];
    if (!account?.dataPort) throw new Error("the twin has no data plane");
    const { caPem, clients } = clientIdentities(n);
    register(twin, clients);
    const server = twin.issueServerCertificate(account.endpoint);
    mkdirSync(join(dir, "mosquitto"));
    mosquitto = await startMosquitto(join(dir, "mosquitto"), {
      certPem: server.cert.toString(),
      keyPem: server.key.toString(),
      clientCaPem: caPem,
    });
    const common = { servername: account.endpoint, caPem: twin.ca.certificatePem };
    const targets: Record<"twin" | "mosquitto", LoadTarget> = {
      twin: { port: account.dataPort, ...common },
      mosquitto: { port: mosquitto.port, ...common },
    };
    const ops: Record<"twin" | "mosquitto", number[]> = { twin: [], mosquitto: [] };
    console.log(
      `broker: ${n} clients × (mTLS connect + ${PUBLISHES_PER_CLIENT} QoS1 publishes), ${rounds} rounds`,
    );
    for (let r = 0; r <= rounds; r++) {
      const order = r % 2 === 0 ? (["twin", "mosquitto"] as const) : (["mosquitto", "twin"] as const);
      const line: string[] = [];
      for (const name of order) {
        const ms = await runLoad(targets[name], clients);
        const perSecond = n / (ms / 1000);
        // Round 0 warms both up (JIT, TLS contexts) and is not counted.
        if (r > 0) ops[name].push(perSecond);
        line.push(`${name} ${perSecond.toFixed(1)} ops/s (${ms.toFixed(0)} ms)`);
      }
      console.log(`${r === 0 ? "warm-up" : `round ${r}`}: ${line.join(", ")}`);
    }
    const twinOps = median(ops.twin);
    const mosquittoOps = median(ops.mosquitto);
    console.log(
      `median twin:      ${twinOps.toFixed(1)} ops/s (${(twinOps * PUBLISHES_PER_CLIENT).toFixed(0)} publishes/s)`,
    );
    console.log(
      `median mosquitto: ${mosquittoOps.toFixed(1)} ops/s (${(mosquittoOps * PUBLISHES_PER_CLIENT).toFixed(0)} publishes/s)`,
    );
    console.log(`ratio twin/mosquitto: ${(twinOps / mosquittoOps).toFixed(2)} (target ≥ 1.0)`);
  } finally {
    await mosquitto?.stop();
    await twin?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
