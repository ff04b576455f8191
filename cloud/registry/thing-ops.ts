// Things of one account and their principals (aws-iot §3.2, §3.3).
import { randomUUID } from "node:crypto";
import type { AccountContext } from "./account-context.ts";
import type { StoredThing, ThingPrincipalType } from "./account-data.ts";
import { arn, parseArn } from "./arn.ts";
import { IotException, invalidRequest, notFound } from "./iot-exception.ts";
import { paginate, type Page } from "./paging.ts";
import { ATTRIBUTE_NAME, ATTRIBUTE_VALUE, check, checkRange, PAGE_SIZE, THING_NAME } from "./validation.ts";

export interface CreateThingInput {
  attributes?: Record<string, string>;
  thingTypeName?: string;
  billingGroupName?: string;
}

/** aws-iot §2.2: "up to three name/value pairs" for a thing without a thing type. */
const MAX_ATTRIBUTES = 3;

/** aws-iot §3.2 CreateThing: idempotent for the same configuration, 409 for a different one. */
export function createThing(ctx: AccountContext, thingName: string, input: CreateThingInput): StoredThing {
  check("thingName", thingName, THING_NAME);
  // The twin has no thing types or billing groups, so naming one names something that does not exist.
  if (input.thingTypeName !== undefined) throw notFound(`Thing type ${input.thingTypeName} does not exist`);
  if (input.billingGroupName !== undefined)
    throw notFound(`Billing group ${input.billingGroupName} does not exist`);
  const attributes = input.attributes ?? {};
  const entries = Object.entries(attributes);
  for (const [name, value] of entries) {
    check("attributePayload.attributes.key", name, ATTRIBUTE_NAME);
    check("attributePayload.attributes.value", value, ATTRIBUTE_VALUE);
  }
  if (entries.length > MAX_ATTRIBUTES) {
    throw invalidRequest(`A thing without a thing type can have at most ${MAX_ATTRIBUTES} attributes`);
  }
  const existing = ctx.data.things.get(thingName);
  if (existing) {
    if (sameAttributes(existing.attributes, attributes)) return existing;
    throw new IotException(
      "ResourceAlreadyExistsException",
      `Thing ${thingName} already exists in account with different attributes`,
      { resourceId: existing.thingId, resourceArn: existing.thingArn },
    );
  }
  const { region, accountId } = ctx.identity;
  const thing: StoredThing = {
    accountId,
    thingName,
    thingArn: arn(region, accountId, "thing", thingName),
    thingId: randomUUID(),
    attributes: { ...attributes },
    version: 1,
  };
  ctx.data.things.set(thingName, thing);
  ctx.changed();
  return thing;
}

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

export function describeThing(ctx: AccountContext, thingName: string): StoredThing {
  check("thingName", thingName, THING_NAME);
  const thing = ctx.data.things.get(thingName);
  if (!thing) throw notFound(`Thing ${thingName} cannot be found`);
  return thing;
}

export interface ListThingsInput {
  maxResults?: number;
  nextToken?: string;
  attributeName?: string;
  attributeValue?: string;
  usePrefixAttributeValue?: boolean;
  thingTypeName?: string;
}

/** aws-iot §3.2 ListThings: by name, attribute filters, nextToken omitted on the last page. */
export function listThings(ctx: AccountContext, input: ListThingsInput): Page<StoredThing> {
  // AWS documents no default page size; 50 is moto's (aws-iot §7.8).
  const pageSize = input.maxResults ?? 50;
  checkRange("maxResults", pageSize, PAGE_SIZE);
  const { attributeName, attributeValue } = input;
  const matches = (t: StoredThing): boolean => {
    if (input.thingTypeName !== undefined) return false; // no thing has a type in the twin
    if (attributeName === undefined) return true;
    const value = Object.hasOwn(t.attributes, attributeName) ? t.attributes[attributeName] : undefined;
    if (value === undefined) return false;
    if (attributeValue === undefined) return true;
    return input.usePrefixAttributeValue ? value.startsWith(attributeValue) : value === attributeValue;
  };
  const sorted = [...ctx.data.things.values()]
    .filter(matches)
    .sort((a, b) => (a.thingName < b.thingName ? -1 : 1));
  return paginate(sorted, (t) => t.thingName, { pageSize, token: input.nextToken });
}

/** aws-iot §3.2 DeleteThing: success for a missing thing; refused while principals are attached. */
export function deleteThing(ctx: AccountContext, thingName: string, expectedVersion?: number): void {
  check("thingName", thingName, THING_NAME);
  const thing = ctx.data.things.get(thingName);
  if (!thing) return;
  if (expectedVersion !== undefined && expectedVersion !== thing.version) {
    throw new IotException(
      "VersionConflictException",
      `The version for thing ${thingName} does not match the expected version.`,
    );
  }
  if (ctx.data.principalsOf(thingName).length > 0) {
    throw invalidRequest(`Cannot delete. Thing ${thingName} is still attached to one or more principals`);
  }
  ctx.data.things.delete(thingName);
  ctx.data.tags.delete(thing.thingArn);
  ctx.changed();
}

/** A principal must be a certificate ARN of this account that exists (aws-iot §3.3). */
export function requireCertificatePrincipal(ctx: AccountContext, principal: string): void {
  const parsed = parseArn(principal);
  if (!parsed || parsed.type !== "cert")
    throw invalidRequest(`Principal ${principal} is not a valid certificate ARN`);
  const { accountId, region } = ctx.identity;
  if (parsed.accountId !== accountId || parsed.region !== region || !ctx.data.certificates.has(parsed.id)) {
    throw notFound(`The certificate ${principal} does not exist`);
  }
}

export function attachThingPrincipal(
  ctx: AccountContext,
  thingName: string,
  principal: string,
  type: ThingPrincipalType = "NON_EXCLUSIVE_THING",
): void {
  describeThing(ctx, thingName);
  requireCertificatePrincipal(ctx, principal);
  const existing = ctx.data.thingPrincipals.find(
    (a) => a.thingName === thingName && a.principal === principal,
  );
  if (existing) {
    existing.type = type; // re-attaching succeeds (aws-iot §3.3, INFERRED)
  } else {
    ctx.data.thingPrincipals.push({ thingName, principal, type });
  }
  ctx.changed({ kind: "thing-principal", accountId: ctx.identity.accountId, thingName, principal });
}

/** aws-iot §3.3, §9.7: detaching a pair that is not attached is a no-op here (AWS unconfirmed). */
export function detachThingPrincipal(ctx: AccountContext, thingName: string, principal: string): void {
  describeThing(ctx, thingName);
  if (!parseArn(principal)) throw invalidRequest(`Principal ${principal} is not a valid ARN`);
  const before = ctx.data.thingPrincipals.length;
  ctx.data.thingPrincipals = ctx.data.thingPrincipals.filter(
    (a) => !(a.thingName === thingName && a.principal === principal),
  );
  if (ctx.data.thingPrincipals.length !== before) {
    ctx.changed({ kind: "thing-principal", accountId: ctx.identity.accountId, thingName, principal });
  }
}

export interface ListInput {
  maxResults?: number;
  nextToken?: string;
}

export function listThingPrincipals(ctx: AccountContext, thingName: string, input: ListInput): Page<string> {
  check("thingName", thingName, THING_NAME);
  if (!ctx.data.things.has(thingName)) {
    throw notFound(
      `Failed to list principals for thing ${thingName} because the thing does not exist in your account`,
    );
  }
  return listSorted(ctx.data.principalsOf(thingName), input);
}

/** aws-iot §3.3, §9.7: an unknown principal lists no things (as moto; AWS unconfirmed). */
export function listPrincipalThings(ctx: AccountContext, principal: string, input: ListInput): Page<string> {
  return listSorted(ctx.data.thingNamesOf(principal), input);
}

function listSorted(values: string[], input: ListInput): Page<string> {
  const pageSize = input.maxResults ?? 25;
  checkRange("maxResults", pageSize, PAGE_SIZE);
  return paginate([...values].sort(), (v) => v, { pageSize, token: input.nextToken });
}
