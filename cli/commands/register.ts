// `mar-hil register`: MAR registration of a board's certificate, read from the board or given as files.
import { readFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { newRunId, registerDevice, type DeviceIdentity } from "../../hil/aws/index.ts";
import { BoardConsole } from "../../hil/console/index.ts";
import { readIdentity } from "../../hil/provision/index.ts";
import { parseOptions } from "../args.ts";
import { CLOUD_OPTIONS, cloudTarget } from "../cloud-target.ts";
import { UsageError } from "../usage-error.ts";

const HELP = `usage: mar-hil register (--port PATH | --cert FILE --thing NAME) [--policy NAME]
                        [--cloud local|aws] [--account N] [--state DIR] [--json]

Registers the device certificate without its CA (RegisterCertificateWithoutCA, ACTIVE), creates the
thing, attaches it, and attaches a least-privilege policy (or --policy NAME). Safe to repeat.

  --port P         read the certificate and thing name from the board (tty path or tcp://host:port)
  --cert FILE      the device certificate PEM, with --thing NAME
  --policy NAME    attach this existing policy instead of creating the least-privilege one
  --cloud aws      AWS through the standard credential chain, AWS_REGION, AWS_ENDPOINT_URL_IOT (default)
  --cloud local    the twin running on --state (account --account, default 0)`;

export async function register(argv: string[]): Promise<number> {
  const o = parseOptions(argv, {
    port: { type: "string" },
    cert: { type: "string" },
    thing: { type: "string" },
    policy: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
    ...CLOUD_OPTIONS,
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const target = cloudTarget(o);
  let device: DeviceIdentity;
  if (o.port) {
    await using console = await BoardConsole.open(o.port);
    device = await readIdentity(console, { timeoutMs: 20_000 });
  } else if (o.cert && o.thing) {
    let pem: string;
    try {
      pem = readFileSync(o.cert, "latin1");
      new X509Certificate(pem);
    } catch (e) {
      throw new UsageError(`--cert ${o.cert}: not a readable PEM certificate (${(e as Error).message})`);
    }
    device = { certificatePem: pem, thingName: o.thing };
  } else {
    throw new UsageError("give --port PATH, or --cert FILE with --thing NAME");
  }
  const registration = await registerDevice(target.iot, device, {
    runId: newRunId(),
    ...(o.policy ? { policy: { kind: "existing" as const, policyName: o.policy } } : {}),
  });
  if (o.json) process.stdout.write(`${JSON.stringify({ event: "registered", ...registration })}\n`);
  else {
    const reused = Object.entries(registration.reused)
      .filter(([, v]) => v)
      .map(([k]) => k);
    process.stdout.write(
      `ok  ${target.label}\n` +
        `ok  certificate ${registration.certificateId} ACTIVE (${registration.certificateArn})\n` +
        `ok  thing ${registration.thingName} attached\n` +
        `ok  policy ${registration.policyName} attached\n` +
        (reused.length ? `    reused: ${reused.join(", ")}\n` : ""),
    );
  }
  return 0;
}
