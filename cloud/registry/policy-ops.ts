// IoT policies of one account and their targets (aws-iot §3.4).
import { randomUUID } from "node:crypto";
import type { AccountContext } from "./account-context.ts";
import type { StoredPolicy } from "./account-data.ts";
import { arn, parseArn } from "./arn.ts";
import { IotException, invalidRequest, notFound } from "./iot-exception.ts";
import { paginate, type Page } from "./paging.ts";
import { parsePolicyDocument, PolicyDocumentError } from "../policy/index.ts";
import { checkTags, tagResource, type Tag } from "./tag-ops.ts";
import { check, checkRange, PAGE_SIZE, POLICY_NAME } from "./validation.ts";

/** aws-iot §3.4: CreatePolicy refuses a document the data plane could not evaluate. */
function validatePolicyDocument(text: string): void {
  try {
    parsePolicyDocument(text, { strict: true });
  } catch (e) {
    if (!(e instanceof PolicyDocumentError)) throw e;
    throw new IotException("MalformedPolicyException", `Policy document is malformed: ${e.message}`);
  }
}

/** aws-iot §2.2: at most 10 policies attached to one certificate. */
export const MAX_POLICIES_PER_TARGET = 10;

export function createPolicy(
  ctx: AccountContext,
  policyName: string,
  policyDocument: string,
  tags: Tag[] = [],
): StoredPolicy {
  check("policyName", policyName, POLICY_NAME);
  const { region, accountId } = ctx.identity;
  const policyArn = arn(region, accountId, "policy", policyName);
  if (ctx.data.policies.has(policyName)) {
    throw new IotException(
      "ResourceAlreadyExistsException",
      `Policy cannot be created - name already exists (name=${policyName})`,
      { resourceId: policyName, resourceArn: policyArn },
    );
  }
  validatePolicyDocument(policyDocument);
  checkTags(tags);
  const now = ctx.now();
  const policy: StoredPolicy = {
    accountId,
    policyName,
    policyArn,
    policyDocument,
    defaultVersionId: "1",
    generationId: randomUUID(),
    creationDate: now,
    lastModifiedDate: now,
  };
  ctx.data.policies.set(policyName, policy);
  if (tags.length > 0) tagResource(ctx, policyArn, tags);
  ctx.changed({ kind: "policy-changed", accountId, policyName });
  return policy;
}

export function getPolicy(ctx: AccountContext, policyName: string): StoredPolicy {
  check("policyName", policyName, POLICY_NAME);
  const policy = ctx.data.policies.get(policyName);
  if (!policy) throw notFound(`Policy not found (name=${policyName})`);
  return policy;
}

export function deletePolicy(ctx: AccountContext, policyName: string): void {
  const policy = getPolicy(ctx, policyName);
  if (ctx.data.targetsOf(policyName).length > 0) {
    throw new IotException(
      "DeleteConflictException",
      `The policy cannot be deleted as the policy is attached to one or more principals (name=${policyName})`,
    );
  }
  ctx.data.policies.delete(policyName);
  ctx.data.tags.delete(policy.policyArn);
  ctx.changed({ kind: "policy-changed", accountId: ctx.identity.accountId, policyName });
}

/** A target is a certificate ARN of this account, or a Cognito identity id (aws-iot §3.4). */
function requireTarget(ctx: AccountContext, target: string): void {
  if (/^[a-z]{2}-[a-z]+-\d:[0-9a-f-]{36}$/.test(target)) return;
  const parsed = parseArn(target);
  if (!parsed || parsed.type !== "cert") throw invalidRequest(`Invalid target: ${target}`);
  const { accountId, region } = ctx.identity;
  if (parsed.accountId !== accountId || parsed.region !== region || !ctx.data.certificates.has(parsed.id)) {
    throw notFound(`The target ${target} does not exist`);
  }
}

export function attachPolicy(ctx: AccountContext, policyName: string, target: string): void {
  getPolicy(ctx, policyName);
  requireTarget(ctx, target);
  const attached = ctx.data.policyNamesOf(target);
  if (attached.includes(policyName)) return;
  if (attached.length >= MAX_POLICIES_PER_TARGET) {
    throw new IotException(
      "LimitExceededException",
      `The number of attached policies cannot exceed ${MAX_POLICIES_PER_TARGET} (target=${target})`,
    );
  }
  ctx.data.attachPolicyTarget({ policyName, target });
  ctx.changed({ kind: "policy-changed", accountId: ctx.identity.accountId, policyName });
}

/** aws-iot §3.4: ResourceNotFoundException is not a modelled DetachPolicy error; a no-op when not attached. */
export function detachPolicy(ctx: AccountContext, policyName: string, target: string): void {
  check("policyName", policyName, POLICY_NAME);
  const detached = ctx.data.detachPolicyTargets((a) => a.policyName === policyName && a.target === target);
  if (detached > 0) {
    ctx.changed({ kind: "policy-changed", accountId: ctx.identity.accountId, policyName });
  }
}

export interface MarkerInput {
  pageSize?: number;
  marker?: string;
}

export function listAttachedPolicies(
  ctx: AccountContext,
  target: string,
  input: MarkerInput,
): Page<StoredPolicy> {
  requireTarget(ctx, target);
  const pageSize = input.pageSize ?? 25;
  checkRange("pageSize", pageSize, PAGE_SIZE);
  const policies = ctx.data
    .policyNamesOf(target)
    .sort()
    .flatMap((name) => ctx.data.policies.get(name) ?? []);
  return paginate(policies, (p) => p.policyName, { pageSize, token: input.marker });
}

/** aws-iot §3.4 ListPolicies: every policy of the account by name, 25 a page by default. */
export function listPolicies(
  ctx: AccountContext,
  input: MarkerInput & { ascending?: boolean },
): Page<StoredPolicy> {
  const pageSize = input.pageSize ?? 25;
  checkRange("pageSize", pageSize, PAGE_SIZE);
  const all = [...ctx.data.policies.values()].sort((a, b) => (a.policyName < b.policyName ? -1 : 1));
  return paginate(all, (p) => p.policyName, {
    pageSize,
    token: input.marker,
    descending: input.ascending === false,
  });
}

export function listTargetsForPolicy(
  ctx: AccountContext,
  policyName: string,
  input: MarkerInput,
): Page<string> {
  getPolicy(ctx, policyName);
  const pageSize = input.pageSize ?? 25;
  checkRange("pageSize", pageSize, PAGE_SIZE);
  return paginate(ctx.data.targetsOf(policyName).sort(), (t) => t, { pageSize, token: input.marker });
}
