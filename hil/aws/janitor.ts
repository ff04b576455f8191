// The janitor removes what crashed runs left (design: "a janitor command removes leftovers of
// crashed runs"): things by their run-id attribute, then certificates and policies by their run tag
// — those a crash orphaned between two cleanup steps.
import {
  ListCertificatesCommand,
  ListPoliciesCommand,
  ListThingsCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { cleanupThing, deletePolicyIfUnused, emptyReport, removeCertificate } from "./cleanup.ts";
import { isNamed, translate } from "./errors.ts";
import {
  CREATED_AT_ATTRIBUTE,
  CREATED_AT_TAG,
  POLICY_PREFIX,
  RUN_ID_ATTRIBUTE,
  RUN_ID_TAG,
} from "./run-id.ts";
import { pages, tagsOf } from "./sdk-calls.ts";
import type { SettleOptions } from "./settle.ts";
import type { CleanupReport } from "./types.ts";

/** Which runs' leftovers to remove: run ids starting with a prefix, or created before a date. */
export type JanitorCriteria = { runIdPrefix: string } | { olderThan: Date };

export interface JanitorReport extends CleanupReport {
  /** Searches that could not be made, e.g. an account or emulator without ListPolicies. */
  warnings: string[];
}

export interface JanitorOptions {
  /** Also search certificates by tag (one ListTagsForResource per certificate; default true). */
  scanCertificates?: boolean;
  settle?: SettleOptions;
}

export async function janitor(
  iot: IoTClient,
  criteria: JanitorCriteria,
  options: JanitorOptions = {},
): Promise<JanitorReport> {
  const report: JanitorReport = { ...emptyReport(), warnings: [] };
  const matches = (runId: string | undefined, createdAt: string | undefined): boolean => {
    if (runId === undefined) return false;
    if ("runIdPrefix" in criteria) return runId.startsWith(criteria.runIdPrefix);
    // Without a creation time the age is unknown: leave it, a prefix janitor can still remove it.
    const created = createdAt === undefined ? NaN : Date.parse(createdAt);
    return created < criteria.olderThan.getTime();
  };

  for (const thing of await runThings(iot, criteria)) {
    if (!matches(thing.attributes?.[RUN_ID_ATTRIBUTE], thing.attributes?.[CREATED_AT_ATTRIBUTE])) continue;
    merge(report, await cleanupThing(iot, thing.thingName ?? "", { settle: options.settle }));
  }
  if (options.scanCertificates ?? true) {
    // Certificates a crash left without their thing (between DetachThingPrincipal and DeleteCertificate).
    for (const certificateArn of await taggedCertificates(iot, matches)) {
      const policies = await removeCertificate(iot, certificateArn, undefined, report, options.settle);
      for (const policyName of policies)
        await deletePolicyIfUnused(iot, policyName, false, report, options.settle);
    }
  }
  for (const policy of await runPolicies(iot, report)) {
    const tags = await tagsOf(iot, policy.arn);
    if (!matches(tags?.get(RUN_ID_TAG), tags?.get(CREATED_AT_TAG))) continue;
    await deletePolicyIfUnused(iot, policy.name, true, report, options.settle);
  }
  return report;
}

async function runThings(iot: IoTClient, criteria: JanitorCriteria) {
  // A server-side prefix filter where it helps; matches() decides either way.
  const filter =
    "runIdPrefix" in criteria
      ? {
          attributeName: RUN_ID_ATTRIBUTE,
          attributeValue: criteria.runIdPrefix,
          usePrefixAttributeValue: true,
        }
      : {};
  try {
    return await pages(
      (nextToken) => iot.send(new ListThingsCommand({ ...filter, nextToken })),
      (p) => [p.things, p.nextToken],
    );
  } catch (e) {
    throw translate(e, "ListThings");
  }
}

async function taggedCertificates(
  iot: IoTClient,
  matches: (runId: string | undefined, createdAt: string | undefined) => boolean,
): Promise<string[]> {
  const certificates = await pages(
    (marker) => iot.send(new ListCertificatesCommand({ marker, pageSize: 250 })),
    (p) => [p.certificates, p.nextMarker],
  ).catch((e: unknown) => {
    throw translate(e, "ListCertificates");
  });
  const found: string[] = [];
  for (const c of certificates) {
    if (!c.certificateArn) continue;
    const tags = await tagsOf(iot, c.certificateArn);
    if (tags === undefined) continue;
    if (matches(tags.get(RUN_ID_TAG), tags.get(CREATED_AT_TAG))) found.push(c.certificateArn);
  }
  return found;
}

async function runPolicies(iot: IoTClient, report: JanitorReport): Promise<{ name: string; arn: string }[]> {
  try {
    const policies = await pages(
      (marker) => iot.send(new ListPoliciesCommand({ marker, pageSize: 250 })),
      (p) => [p.policies, p.nextMarker],
    );
    return policies
      .filter((p) => p.policyName?.startsWith(POLICY_PREFIX) && p.policyArn)
      .map((p) => ({ name: p.policyName ?? "", arn: p.policyArn ?? "" }));
  } catch (e) {
    // The IoT Core twin serves no ListPolicies; orphaned policies are then left for a real account.
    if (isNamed(e, "UnknownOperationException")) {
      report.warnings.push("ListPolicies is not served here: policies orphaned by a crash were not searched");
      return [];
    }
    throw translate(e, "ListPolicies");
  }
}

function merge(into: CleanupReport, from: CleanupReport): void {
  into.detachedPolicies.push(...from.detachedPolicies);
  into.deletedCertificates.push(...from.deletedCertificates);
  into.deletedThings.push(...from.deletedThings);
  into.deletedPolicies.push(...from.deletedPolicies);
  into.kept.push(...from.kept);
}
