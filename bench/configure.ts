// design.md performance targets, "configure": the configure step on a board paced at 115200 baud
// behind a real PTY, against the wire-time limit (bytes × 10 / baud). The old scripts spent ≥ 5 s in
// fixed sleeps. A benchmark, not a test: it prints figures.
//   npm run bench:configure -- [--rounds R]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BoardConsole } from "../hil/console/index.ts";
import { configureBoard } from "../hil/provision/index.ts";
import { awsRootCa } from "../hil/run/scenario-run.ts";
import { Fleet } from "../simulator/fleet.ts";
import { socatAvailable } from "../simulator/link/pty.ts";
import { SystemClock } from "../simulator/world/clock.ts";

const BAUD = 115200;
const { values } = parseArgs({ options: { rounds: { type: "string" } } });
const rounds = Number(values.rounds ?? 3);
if (!socatAvailable()) {
  process.stdout.write("configure: skipped, socat is not installed (apt-get install -y socat)\n");
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), "mar-hil-bench-configure-"));
const fleet = await Fleet.start({
  stateDir: dir,
  boards: 1,
  link: "pty",
  baud: BAUD,
  clock: new SystemClock(1),
});
const path = fleet.boards[0]?.port.path as string;
await new Promise((r) => setTimeout(r, 2000)); // the boot, so that its log lines are not counted
const results: string[] = [];
for (let round = 1; round <= rounds; round++) {
  await using console = await BoardConsole.open(path);
  await console.sync({ timeoutMs: 10_000 });
  const from = console.transcript.entries().length;
  const t0 = performance.now();
  await configureBoard(
    console,
    {
      mqttEndpoint: "a1qwhobjtvew8t-ats.iot.us-west-2.amazonaws.com",
      mqttPort: 8883,
      wifiSsid: "st_iot_demo",
      wifiCredential: "bench-passphrase",
      rootCaPem: awsRootCa(),
      rootCaSource: "SFSRootCAG2.pem",
    },
    { timeoutMs: 30_000 },
  );
  const elapsed = (performance.now() - t0) / 1000;
  const entries = console.transcript.entries().slice(from);
  const bytes = (dir: "rx" | "tx"): number =>
    entries.filter((e) => e.dir === dir).reduce((n, e) => n + Buffer.byteLength(e.data, "latin1"), 0);
  // Full duplex: the wire time is that of the busier direction.
  const limit = (Math.max(bytes("rx"), bytes("tx")) * 10) / BAUD;
  results.push(
    `  round ${round}: ${elapsed.toFixed(2)} s for ${bytes("tx")} bytes out / ${bytes("rx")} in; wire-time limit ${limit.toFixed(2)} s; ratio ${(elapsed / limit).toFixed(2)}   (target ≤ 1.25)`,
  );
}
process.stdout.write(`configure at ${BAUD} baud on a PTY:\n${results.join("\n")}\n`);
await fleet.close();
rmSync(dir, { recursive: true, force: true });
