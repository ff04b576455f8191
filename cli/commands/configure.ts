// `mar-hil configure`: the old config.sh/config.ps1, every step verified from the board's answers.
import { BoardConsole } from "../../hil/console/index.ts";
import { configureBoard, loadConfigFile, readIdentity, resetBoard } from "../../hil/provision/index.ts";
import { parseOptions } from "../args.ts";
import { UsageError } from "../usage-error.ts";

const HELP = `usage: mar-hil configure --config config.json [--port PATH|tcp://HOST:PORT] [--no-reset] [--json]

Configures a board over its serial console from the original guide's config.json (mqtt_endpoint,
mqtt_port, wifi_ssid, wifi_credential, portName, root_ca_cert): imports the root CA and reads it back,
sets the four keys, commits, reads the device certificate and thing name, then resets the board.

  --config FILE   the config.json (Windows paths for root_ca_cert are looked up by file name)
  --port P        tty path or tcp://host:port (default: portName from the config when usable here)
  --no-reset      leave the board running its old configuration
  --json          one JSON object with the verified steps and the identity on stdout`;

export async function configure(argv: string[]): Promise<number> {
  const o = parseOptions(argv, {
    config: { type: "string" },
    port: { type: "string" },
    "no-reset": { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (!o.config) throw new UsageError("--config is required (the guide's config.json)");
  const config = loadConfigFile(o.config);
  const port =
    o.port ?? (config.portName && /^(\/|tcp:\/\/)/.test(config.portName) ? config.portName : undefined);
  if (!port) {
    throw new UsageError(
      `--port is required: the config's portName '${config.portName ?? ""}' is not a tty path or tcp:// address here`,
    );
  }
  await using console = await BoardConsole.open(port);
  const wait = { timeoutMs: 20_000 };
  const report = await configureBoard(console, config.device, wait);
  const identity = await readIdentity(console, wait);
  if (!o["no-reset"]) await resetBoard(console, wait);
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify({ event: "configured", port, steps: report.steps, identity, reset: !o["no-reset"] })}\n`,
    );
  } else {
    for (const s of report.steps) process.stdout.write(`ok  ${s.step.padEnd(24)} ${s.verified}\n`);
    process.stdout.write(
      `ok  identity                 CN ${identity.commonName}, certificateId ${identity.certificateId}\n` +
        `ok  thing name               ${identity.thingName}${identity.thingNameNote ? ` (${identity.thingNameNote})` : ""}\n` +
        (o["no-reset"] ? "" : "ok  reset                    Resetting device.\n"),
    );
  }
  return 0;
}
