// `mar-hil cleanup -t THING`: the fixed deviceCleanup.sh — ordered, idempotent, nothing left behind.
import { cleanupThing } from "../../hil/aws/index.ts";
import { parseOptions } from "../args.ts";
import { CLOUD_OPTIONS, cloudTarget } from "../cloud-target.ts";
import { UsageError } from "../usage-error.ts";

const HELP = `usage: mar-hil cleanup -t THING [--cloud local|aws] [--account N] [--state DIR] [--json]

Detaches the thing's certificates' policies, detaches the certificates, sets them INACTIVE, deletes
them, deletes the thing, and deletes policies this tool created once nothing uses them. Repeatable.`;

export async function cleanup(argv: string[]): Promise<number> {
  const o = parseOptions(argv, {
    thing: { type: "string", short: "t" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
    ...CLOUD_OPTIONS,
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (!o.thing) throw new UsageError("-t THING is required");
  const target = cloudTarget(o);
  const report = await cleanupThing(target.iot, o.thing);
  if (o.json) process.stdout.write(`${JSON.stringify({ event: "cleaned-up", thing: o.thing, ...report })}\n`);
  else {
    const line = (what: string, items: string[]): string =>
      `ok  ${what}: ${items.length ? items.join(", ") : "none"}\n`;
    process.stdout.write(
      `ok  ${target.label}\n` +
        line("policies detached", report.detachedPolicies) +
        line("certificates deleted", report.deletedCertificates) +
        line("things deleted", report.deletedThings) +
        line("policies deleted", report.deletedPolicies) +
        report.kept.map((k) => `kept ${k.arn}: ${k.reason}\n`).join(""),
    );
  }
  return 0;
}
