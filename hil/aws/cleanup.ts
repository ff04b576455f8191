// Cleanup in the order AWS requires (aws-iot §3.1 DeleteCertificate preconditions, §3.2 DeleteThing,
// §3.4 DeletePolicy): detach policies, detach the principal, INACTIVE, delete the certificate,
// delete the thing, then the run's own policies once nothing uses them. Anything already gone is
// skipped, so a second run, or a run after a crash half-way, does the rest and nothing else.
import {
  DeleteCertificateCommand,
  DeletePolicyCommand,
  DeleteThingCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  GetPolicyCommand,
  UpdateCertificateCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { isNamed, translate } from "./errors.ts";
import { RUN_ID_TAG } from "./run-id.ts";
import {
  call,
  listAttachedPolicies,
  listPrincipalThings,
  listTargetsForPolicy,
  listThingPrincipals,
  tagsOf,
  unlessMissing,
} from "./sdk-calls.ts";
import { settle, type SettleOptions } from "./settle.ts";
import type { CleanupReport, Registration } from "./types.ts";

export interface CleanupOptions {
  /** Certificates to remove even if no longer attached to the thing (a crash between the steps). */
  certificateArns?: string[];
  /** Policies to delete when unattached even without our tag (the registration says the run owns them). */
  ownedPolicies?: string[];
  settle?: SettleOptions;
}

export const emptyReport = (): CleanupReport => ({
  detachedPolicies: [],
  deletedCertificates: [],
  deletedThings: [],
  deletedPolicies: [],
  kept: [],
});

/** Removes `thingName`, its certificates and the run's policies on them (the old cleanup script, fixed). */
export async function cleanupThing(
  iot: IoTClient,
  thingName: string,
  options: CleanupOptions = {},
): Promise<CleanupReport> {
  const report = emptyReport();
  // undefined: the thing is already gone (404), only the certificates named in options remain.
  const principals = await listThingPrincipals(iot, thingName);
  const certificates = new Set([
    ...(principals ?? []).filter(isCertificateArn),
    ...(options.certificateArns ?? []),
  ]);
  const policies = new Set<string>(options.ownedPolicies ?? []);
  for (const certificateArn of certificates) {
    const detached = await removeCertificate(iot, certificateArn, thingName, report, options.settle);
    for (const policy of detached) policies.add(policy);
  }
  if (principals !== undefined) {
    // aws-iot §3.2: "still attached" while a detach propagates (§3.3).
    await call(`DeleteThing(${thingName})`, () =>
      settle(
        ["InvalidRequestException"],
        () => iot.send(new DeleteThingCommand({ thingName })),
        options.settle,
        (e) => /attached/i.test((e as Error).message),
      ),
    );
    report.deletedThings.push(thingName);
  }
  for (const policyName of policies) {
    const owned = options.ownedPolicies?.includes(policyName) ?? false;
    await deletePolicyIfUnused(iot, policyName, owned, report, options.settle);
  }
  return report;
}

/** Cleanup of what `registerDevice` returned. */
export function cleanupRegistration(
  iot: IoTClient,
  registration: Registration,
  options: Pick<CleanupOptions, "settle"> = {},
): Promise<CleanupReport> {
  return cleanupThing(iot, registration.thingName, {
    certificateArns: [registration.certificateArn],
    ownedPolicies: registration.policyOwned ? [registration.policyName] : [],
    ...options,
  });
}

/**
 * Detaches one certificate from its policies and from `thingName`, then deletes it unless another
 * thing still uses it. Returns the policies that were attached to it.
 */
export async function removeCertificate(
  iot: IoTClient,
  certificateArn: string,
  thingName: string | undefined,
  report: CleanupReport,
  settleOptions?: SettleOptions,
): Promise<string[]> {
  const certificateId = certificateArn.slice(certificateArn.lastIndexOf("/") + 1);
  const attached = await listAttachedPolicies(iot, certificateArn);
  if (attached === undefined) return []; // the certificate is already gone
  for (const policyName of attached) {
    await unlessMissing(`DetachPolicy(${policyName})`, () =>
      iot.send(new DetachPolicyCommand({ policyName, target: certificateArn })),
    );
    report.detachedPolicies.push(policyName);
  }
  if (thingName !== undefined) {
    await unlessMissing(`DetachThingPrincipal(${thingName})`, () =>
      iot.send(new DetachThingPrincipalCommand({ thingName, principal: certificateArn })),
    );
  }
  const others = ((await listPrincipalThings(iot, certificateArn)) ?? []).filter((t) => t !== thingName);
  if (others.length > 0) {
    report.kept.push({ arn: certificateArn, reason: `still attached to ${others.join(", ")}` });
    return attached;
  }
  try {
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: "INACTIVE" }));
  } catch (e) {
    // REVOKED cannot go back to INACTIVE but may be deleted as it is (aws-iot §1.4, §3.1).
    if (!isNamed(e, "ResourceNotFoundException", "CertificateStateException")) {
      throw translate(e, `UpdateCertificate(${certificateId}, INACTIVE)`);
    }
  }
  const deleted = await unlessMissing(`DeleteCertificate(${certificateId})`, () =>
    settle(
      ["DeleteConflictException"],
      () => iot.send(new DeleteCertificateCommand({ certificateId })),
      settleOptions,
    ),
  );
  if (deleted !== undefined) report.deletedCertificates.push(certificateArn);
  return attached;
}

/** Deletes a run-owned policy nothing is attached to; a user's named policy is never touched. */
export async function deletePolicyIfUnused(
  iot: IoTClient,
  policyName: string,
  owned: boolean,
  report: CleanupReport,
  settleOptions?: SettleOptions,
): Promise<void> {
  const policy = await unlessMissing(`GetPolicy(${policyName})`, () =>
    iot.send(new GetPolicyCommand({ policyName })),
  );
  if (policy === undefined) return; // already deleted
  const arn = policy.policyArn ?? policyName;
  if (!owned && !(await tagsOf(iot, arn))?.has(RUN_ID_TAG)) return;
  const targets = (await listTargetsForPolicy(iot, policyName)) ?? [];
  if (targets.length > 0) {
    report.kept.push({ arn, reason: `policy still attached to ${targets.join(", ")}` });
    return;
  }
  try {
    await settle(
      ["DeleteConflictException"],
      () => iot.send(new DeletePolicyCommand({ policyName })),
      settleOptions,
    );
    report.deletedPolicies.push(policyName);
  } catch (e) {
    if (isNamed(e, "ResourceNotFoundException")) return;
    // aws-iot §3.4: up to five minutes after a detach; the janitor removes it later.
    if (isNamed(e, "DeleteConflictException")) {
      report.kept.push({ arn, reason: `DeletePolicy: ${(e as Error).message}` });
      return;
    }
    throw translate(e, `DeletePolicy(${policyName})`);
  }
}

const isCertificateArn = (arn: string): boolean => /^arn:[^:]+:iot:[^:]*:\d*:cert\/[0-9a-f]{64}$/.test(arn);
