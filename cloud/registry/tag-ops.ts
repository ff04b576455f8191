// Tags on the twin's resources: things, policies, certificates (aws-iot §3.5). The harness tags
// every resource of a run with the run id so a janitor can find leftovers (design: reliability).
import type { AccountContext } from "./account-context.ts";
import { parseArn } from "./arn.ts";
import { IotException, invalidRequest, notFound } from "./iot-exception.ts";
import { paginate, type Page } from "./paging.ts";
import { check, TAG_KEY, TAG_VALUE } from "./validation.ts";

export interface Tag {
  Key: string;
  Value?: string;
}

/** The AWS-wide limit of 50 user tags per resource. */
export const MAX_TAGS = 50;

function requireResource(ctx: AccountContext, resourceArn: string): void {
  const parsed = parseArn(resourceArn);
  if (!parsed) throw invalidRequest(`Invalid resourceArn: ${resourceArn}`);
  const { accountId, region } = ctx.identity;
  const d = ctx.data;
  const exists =
    parsed.accountId === accountId &&
    parsed.region === region &&
    ((parsed.type === "thing" && d.things.has(parsed.id)) ||
      (parsed.type === "policy" && d.policies.has(parsed.id)) ||
      (parsed.type === "cert" && d.certificates.has(parsed.id)));
  if (!exists) throw notFound(`Resource ${resourceArn} does not exist`);
}

export function checkTags(tags: readonly Tag[]): void {
  for (const { Key, Value = "" } of tags) {
    check("tags.member.key", Key, TAG_KEY);
    check("tags.member.value", Value, TAG_VALUE);
    if (Key.toLowerCase().startsWith("aws:"))
      throw invalidRequest(`Tag keys starting with 'aws:' are reserved: ${Key}`);
  }
}

export function tagResource(ctx: AccountContext, resourceArn: string, tags: Tag[]): void {
  requireResource(ctx, resourceArn);
  checkTags(tags);
  const current = new Map(ctx.data.tags.get(resourceArn));
  for (const { Key, Value = "" } of tags) current.set(Key, Value);
  if (current.size > MAX_TAGS) {
    throw new IotException(
      "LimitExceededException",
      `A resource can have at most ${MAX_TAGS} tags (${resourceArn})`,
    );
  }
  ctx.data.tags.set(resourceArn, current);
  ctx.changed();
}

export function untagResource(ctx: AccountContext, resourceArn: string, tagKeys: string[]): void {
  requireResource(ctx, resourceArn);
  const current = ctx.data.tags.get(resourceArn);
  if (!current) return;
  for (const key of tagKeys) current.delete(key);
  if (current.size === 0) ctx.data.tags.delete(resourceArn);
  ctx.changed();
}

export function listTagsForResource(ctx: AccountContext, resourceArn: string, nextToken?: string): Page<Tag> {
  requireResource(ctx, resourceArn);
  const tags = [...(ctx.data.tags.get(resourceArn) ?? [])]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([Key, Value]) => ({ Key, Value }));
  return paginate(tags, (t) => t.Key, { pageSize: MAX_TAGS, token: nextToken });
}
