// `mar-hil cloud`: the IoT Core twin alone (both planes), until SIGINT/SIGTERM (design: CLI contract).
import { CloudTwin, type CloudDescription } from "../../cloud/index.ts";
import { integerOption, parseOptions } from "../args.ts";
import { publishRunningCloud } from "../running-cloud.ts";
import { withStateDir } from "../state-dir.ts";
import { UsageError } from "../usage-error.ts";
import { waitForStopSignal } from "../wait-for-signal.ts";

/** Each account is a key pair and an endpoint: a bound keeps a typo from minting thousands. */
const MAX_ACCOUNTS = 100;

const HELP = `usage: mar-hil cloud [--accounts N] [--state DIR] [--json]

Starts the local twin of AWS IoT Core: a control plane for @aws-sdk/client-iot and an MQTT/TLS data
plane, N accounts with their own endpoint and keys. Runs until SIGINT/SIGTERM.

  --accounts N   number of accounts (default 2; kept in the state dir, more are added when asked)
  --state DIR    registry, keys and CA material (default .mar-hil; the twin uses DIR/cloud)
  --json         print the cloud object as one JSON line on stdout (it includes the twin's local keys)`;

export async function cloud(argv: string[]): Promise<number> {
  const o = parseOptions(argv, {
    accounts: { type: "string" },
    state: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const accounts = integerOption(o.accounts, "accounts", 2, 1);
  if (accounts > MAX_ACCOUNTS)
    throw new UsageError(`--accounts must be at most ${MAX_ACCOUNTS}, got ${accounts}`);
  const stateDir = o.state ?? ".mar-hil";
  const twin = await withStateDir(stateDir, () => CloudTwin.start({ stateDir, accounts }));
  let unpublish = (): void => {};
  try {
    // Listen before printing: whoever reads the line may signal at once.
    const stopped = waitForStopSignal();
    const description = twin.describe();
    unpublish = publishRunningCloud(stateDir, description);
    if (o.json) process.stdout.write(`${JSON.stringify(description)}\n`);
    else process.stdout.write(cloudHumanText(description));
    process.stderr.write("cloud twin running; Ctrl-C to stop\n");
    await stopped;
  } finally {
    unpublish();
    await twin.close();
  }
  return 0;
}

/** No secret keys in human text: `--json` is the machine contract that carries them. */
export function cloudHumanText(d: CloudDescription): string {
  const lines = [`CA certificate: ${d.caFile}`];
  for (const a of d.accounts) {
    lines.push(
      `account ${a.accountId} (${a.region})`,
      `  endpoint       ${a.endpoint}`,
      `  MQTT/TLS       ${a.dataHost}:${a.dataPort ?? "-"} (SNI ${a.endpoint})`,
      `  control plane  ${a.controlPlaneUrl}`,
      `  access key id  ${a.accessKeyId}   (secret: run with --json)`,
    );
  }
  return `${lines.join("\n")}\n`;
}
