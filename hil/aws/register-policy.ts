// The policy step of a registration (aws-iot §3.4): a named existing policy, or one the run creates
// and tags. A re-run finds its own policy by name and identical document and reuses it.
import {
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachPolicyCommand,
  GetPolicyCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { AwsError, isNamed, lean, translate } from "./errors.ts";
import { defaultPolicyName, leastPrivilegePolicy, sameDocument } from "./policy.ts";
import { call, listTargetsForPolicy, tagIfAllowed, tagsOf } from "./sdk-calls.ts";
import { CREATED_AT_TAG, RUN_ID_TAG } from "./run-id.ts";
import { settle } from "./settle.ts";
import type { PolicyChoice, PolicyScope } from "./types.ts";

export interface EnsuredPolicy {
  policyName: string;
  policyArn: string;
  owned: boolean;
  reused: boolean;
}

export async function ensurePolicy(
  iot: IoTClient,
  choice: PolicyChoice,
  context: { scope: PolicyScope; runId: string; createdAt: string; certificateArn: string },
): Promise<EnsuredPolicy> {
  if (choice.kind === "existing") {
    try {
      const p = await iot.send(new GetPolicyCommand({ policyName: choice.policyName }));
      return { policyName: choice.policyName, policyArn: p.policyArn ?? "", owned: false, reused: true };
    } catch (e) {
      if (isNamed(e, "ResourceNotFoundException")) {
        throw new AwsError(
          "POLICY_NOT_FOUND",
          `policy ${choice.policyName} does not exist in account ${context.scope.accountId}`,
          {
            cause: lean(e),
          },
        );
      }
      throw translate(e, `GetPolicy(${choice.policyName})`);
    }
  }
  const policyName =
    (choice.kind === "document" ? choice.policyName : undefined) ??
    defaultPolicyName(context.scope.thingName);
  const document = JSON.stringify(
    choice.kind === "document" ? choice.document(context.scope) : leastPrivilegePolicy(context.scope),
  );
  const tags = [
    { Key: RUN_ID_TAG, Value: context.runId },
    { Key: CREATED_AT_TAG, Value: context.createdAt },
  ];
  try {
    const p = await iot.send(new CreatePolicyCommand({ policyName, policyDocument: document, tags }));
    return { policyName, policyArn: p.policyArn ?? "", owned: true, reused: false };
  } catch (e) {
    if (!isNamed(e, "ResourceAlreadyExistsException")) throw translate(e, `CreatePolicy(${policyName})`);
  }
  const existing = await iot.send(new GetPolicyCommand({ policyName })).catch((e: unknown) => {
    throw translate(e, `GetPolicy(${policyName})`);
  });
  const policyArn = existing.policyArn ?? "";
  // Ours from an earlier run (it carries our tag): this run takes it over, so its janitor owns it now.
  const owned = await hasRunTag(iot, policyArn);
  if (!sameDocument(existing.policyDocument ?? "", document)) {
    // An older harness's version of our policy, used by nothing else: replaced (no policy versions needed).
    const targets = owned ? ((await listTargetsForPolicy(iot, policyName)) ?? []) : [];
    if (!owned || targets.some((t) => t !== context.certificateArn)) {
      throw new AwsError(
        "POLICY_CONFLICT",
        `policy ${policyName} exists with a different document${owned ? ` and is attached to ${targets.join(", ")}` : ""}; delete it or name a policy to use`,
      );
    }
    for (const target of targets) {
      await call(`DetachPolicy(${policyName})`, () =>
        iot.send(new DetachPolicyCommand({ policyName, target })),
      );
    }
    // aws-iot §3.4: a detached policy may take a while to become deletable on AWS.
    await call(`DeletePolicy(${policyName})`, () =>
      settle(["DeleteConflictException"], () => iot.send(new DeletePolicyCommand({ policyName }))),
    );
    const p = await call(`CreatePolicy(${policyName})`, () =>
      iot.send(new CreatePolicyCommand({ policyName, policyDocument: document, tags })),
    );
    return { policyName, policyArn: p.policyArn ?? "", owned: true, reused: false };
  }
  if (owned) await tagIfAllowed(iot, policyArn, tags);
  return { policyName, policyArn, owned, reused: true };
}

async function hasRunTag(iot: IoTClient, arn: string): Promise<boolean> {
  return (await tagsOf(iot, arn))?.has(RUN_ID_TAG) ?? false;
}
