// design.md performance targets, "fleet": N simulated boards through the full MAR flow in one process
// (console configuration, identity, RegisterCertificateWithoutCA + thing + policy, reset, MQTT session),
// then the memory an idle connected board costs. A benchmark, not a test: it prints figures.
//   npm run bench:fleet -- [--boards N] [--time-scale X] [--concurrency C]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Simulation } from "../cli/simulation.ts";
import { iotClientFromEnv, newRunId, registerDevice } from "../hil/aws/index.ts";
import { BoardConsole } from "../hil/console/index.ts";
import { configureBoard, readIdentity, resetBoard } from "../hil/provision/index.ts";
import { awsRootCa } from "../hil/run/scenario-run.ts";
import { SystemClock } from "../simulator/world/clock.ts";
import { DEFAULT_ACCESS_POINT } from "../simulator/world/wifi.ts";

const { values } = parseArgs({
  options: { boards: { type: "string" }, "time-scale": { type: "string" }, concurrency: { type: "string" } },
});
const boards = Number(values.boards ?? 100);
const timeScale = Number(values["time-scale"] ?? 50);
const concurrency = Number(values.concurrency ?? 50);

const rssMb = (): number => process.memoryUsage().rss / 1048576;
const dir = mkdtempSync(join(tmpdir(), "mar-hil-bench-fleet-"));
const rssBefore = rssMb();
const started = performance.now();
const sim = await Simulation.start({
  stateDir: dir,
  boards,
  link: "inproc",
  clock: new SystemClock(timeScale),
});
const booted = performance.now();
const account = sim.cloud.describe().accounts[0];
if (!account) throw new Error("no account");
const iot = iotClientFromEnv(account.env);
const runId = newRunId();
const wait = { timeoutMs: 60_000 };

async function onboard(i: number): Promise<void> {
  const b = sim.fleet.boards[i];
  if (!b?.stream) throw new Error(`board ${i} has no in-process stream`);
  const console = await BoardConsole.open(b.stream, { reopenTimeoutMs: 0 });
  await configureBoard(
    console,
    {
      mqttEndpoint: account!.endpoint,
      mqttPort: 8883,
      wifiSsid: DEFAULT_ACCESS_POINT.ssid,
      wifiCredential: DEFAULT_ACCESS_POINT.credential,
      rootCaPem: awsRootCa(),
      rootCaSource: "SFSRootCAG2.pem",
    },
    wait,
  );
  const identity = await readIdentity(console, wait);
  await registerDevice(iot, identity, { runId });
  const mark = console.mark();
  await resetBoard(console, wait);
  await console.expect("Starting a clean MQTT Session.", { ...wait, since: mark });
  await console.close();
}

let next = 0;
const worker = async (): Promise<void> => {
  for (let i = next++; i < boards; i = next++) await onboard(i);
};
await Promise.all(Array.from({ length: Math.min(concurrency, boards) }, worker));
const onboarded = performance.now();
// Let the sessions settle into their idle rhythm before weighing them.
await new Promise((r) => setTimeout(r, 2000));
global.gc?.();
const rssConnected = rssMb();

const seconds = (onboarded - booted) / 1000;
process.stdout.write(
  [
    `fleet: ${boards} boards, time scale ${timeScale}, ${concurrency} onboarded at a time`,
    `  power-on of all boards + cloud twin: ${((booted - started) / 1000).toFixed(2)} s`,
    `  full MAR flow (configure, identity, register, reset, MQTT session): ${seconds.toFixed(2)} s = ${(boards / seconds).toFixed(1)} boards/s   (target ≥ 100 boards/s)`,
    `  RSS: ${rssBefore.toFixed(0)} MB before, ${rssConnected.toFixed(0)} MB with every board connected = ${(((rssConnected - rssBefore) * 1024) / boards).toFixed(0)} KB per connected board, twin included   (target < 2048 KB)`,
    "",
  ].join("\n"),
);
await sim.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
