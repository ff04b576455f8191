// `mar-hil cleanup -t THING`: the fixed deviceCleanup.sh — ordered, idempotent, nothing left behind.
import { cleanupThing, janitor, type CleanupReport } from "../../hil/aws/index.ts";
import { parseDuration } from "../../scenarios/duration.ts";
import { parseOptions } from "../args.ts";
import { CLOUD_OPTIONS, cloudTarget } from "../cloud-target.ts";
import { UsageError } from "../usage-error.ts";

const HELP = `usage: mar-hil cleanup -t THING [--cloud local|aws] [--account N] [--state DIR] [--json]
       mar-hil cleanup --run-prefix RUN_ID | --older-than 2h   (the janitor)

Detaches the thing's certificates' policies, detaches the certificates, sets them INACTIVE, deletes
them, deletes the thing, and deletes policies this tool created once nothing uses them. Repeatable.
The janitor form removes what runs left behind (every resource carries its run id): those whose run
id starts with RUN_ID (e.g. 'run-' for all), or that are older than the given age.`;

export async function cleanup(argv: string[]): Promise<number> {
  const o = parseOptions(argv, {
    thing: { type: "string", short: "t" },
    "run-prefix": { type: "string" },
    "older-than": { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
    ...CLOUD_OPTIONS,
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const janitorWanted = o["run-prefix"] !== undefined || o["older-than"] !== undefined;
  if (!o.thing && !janitorWanted) throw new UsageError("-t THING is required");
  if (o.thing && janitorWanted)
    throw new UsageError("give -t THING or the janitor's --run-prefix/--older-than, not both");
  const target = cloudTarget(o);
  let report: CleanupReport & { warnings?: string[] };
  if (o.thing) report = await cleanupThing(target.iot, o.thing);
  else if (o["run-prefix"] !== undefined)
    report = await janitor(target.iot, { runIdPrefix: o["run-prefix"] });
  else {
    const age = parseDuration(o["older-than"]);
    if (age === undefined)
      throw new UsageError(`--older-than must be an age like 90m or 2h, got '${o["older-than"]}'`);
    report = await janitor(target.iot, { olderThan: new Date(Date.now() - age) });
  }
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
        report.kept.map((k) => `kept ${k.arn}: ${k.reason}\n`).join("") +
        (report.warnings ?? []).map((w) => `warn ${w}\n`).join(""),
    );
  }
  return 0;
}
