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
import { fork, type ChildProcess } from "node:child_process";
import { ecdsaSigner, issueCertificate, type DistinguishedName } from "../crypto/x509-certificate.ts";
import { PUBLISHES_PER_CLIENT, runLoad, type LoadClient, type LoadTarget } from "./broker-load.ts";
import { startMosquitto, type RunningMosquitto } from "./mosquitto.ts";
import type { TwinReady } from "./twin-process.ts";

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
  let twin: ChildProcess | undefined;
  let mosquitto: RunningMosquitto | undefined;
  try {
    const { caPem, clients } = clientIdentities(n);
    twin = fork(new URL("./twin-process.ts", import.meta.url), { execArgv: ["--import", "tsx"] });
    const twinReady = new Promise<TwinReady>((resolve, reject) => {
      twin?.once("message", (m) => resolve(m as TwinReady));
      twin?.once("exit", (code) => reject(new Error(`the twin process exited with ${code}`)));
    });
    twin.send({ clients });
    const ready = await twinReady;
    mkdirSync(join(dir, "mosquitto"));
    mosquitto = await startMosquitto(join(dir, "mosquitto"), {
      certPem: ready.certPem,
      keyPem: ready.keyPem,
      clientCaPem: caPem,
    });
    const common = { servername: ready.endpoint, caPem: ready.caPem };
    const targets: Record<"twin" | "mosquitto", LoadTarget> = {
      twin: { port: ready.port, ...common },
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
    if (twin?.connected) {
      const exited = new Promise((resolve) => twin?.once("exit", resolve));
      twin.send("stop");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
