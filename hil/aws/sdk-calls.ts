// Small wrappers over @aws-sdk/client-iot calls that several steps share: errors translated with the
// step's name, paged listings read to the end (aws-iot §3 paging), tags where AWS takes them.
import {
  ListAttachedPoliciesCommand,
  ListPrincipalThingsCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  ListThingPrincipalsCommand,
  TagResourceCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { isNamed, translate } from "./errors.ts";

/** One SDK call, its failure translated with the step's name. */
export async function call<T>(step: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw translate(e, step);
  }
}

/** Like `call`, but a missing resource (404) is `undefined`: cleanup tolerates what is already gone. */
export async function unlessMissing<T>(step: string, f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (isNamed(e, "ResourceNotFoundException")) return undefined;
    throw translate(e, step);
  }
}

export async function listThingPrincipals(iot: IoTClient, thingName: string): Promise<string[] | undefined> {
  return unlessMissing(`ListThingPrincipals(${thingName})`, () =>
    pages(
      (nextToken) => iot.send(new ListThingPrincipalsCommand({ thingName, nextToken })),
      (p) => [p.principals, p.nextToken],
    ),
  );
}

export async function listPrincipalThings(iot: IoTClient, principal: string): Promise<string[] | undefined> {
  return unlessMissing(`ListPrincipalThings(${principal})`, () =>
    pages(
      (nextToken) => iot.send(new ListPrincipalThingsCommand({ principal, nextToken })),
      (p) => [p.things, p.nextToken],
    ),
  );
}

export async function listAttachedPolicies(iot: IoTClient, target: string): Promise<string[] | undefined> {
  return unlessMissing(`ListAttachedPolicies(${target})`, () =>
    pages(
      (marker) => iot.send(new ListAttachedPoliciesCommand({ target, marker })),
      (p) => [p.policies?.map((x) => x.policyName ?? ""), p.nextMarker],
    ),
  );
}

export async function listTargetsForPolicy(
  iot: IoTClient,
  policyName: string,
): Promise<string[] | undefined> {
  return unlessMissing(`ListTargetsForPolicy(${policyName})`, () =>
    pages(
      (marker) => iot.send(new ListTargetsForPolicyCommand({ policyName, marker })),
      (p) => [p.targets, p.nextMarker],
    ),
  );
}

/** A resource's tags; undefined when it is gone or takes no tags. */
export async function tagsOf(iot: IoTClient, resourceArn: string): Promise<Map<string, string> | undefined> {
  try {
    const tags = await pages(
      (nextToken) => iot.send(new ListTagsForResourceCommand({ resourceArn, nextToken })),
      (p) => [p.tags, p.nextToken],
    );
    return new Map(tags.map((t) => [t.Key ?? "", t.Value ?? ""]));
  } catch (e) {
    if (isNamed(e, "ResourceNotFoundException", "InvalidRequestException")) return undefined;
    throw translate(e, `ListTagsForResource(${resourceArn})`);
  }
}

/** Tags where AWS allows it; false for a resource type that takes no tags (then marked otherwise). */
export async function tagIfAllowed(
  iot: IoTClient,
  resourceArn: string,
  tags: { Key: string; Value: string }[],
): Promise<boolean> {
  try {
    await iot.send(new TagResourceCommand({ resourceArn, tags }));
    return true;
  } catch (e) {
    if (isNamed(e, "InvalidRequestException")) return false;
    throw translate(e, `TagResource(${resourceArn})`);
  }
}

/** Every item of a paged listing; `split` gives a page's items and its next token or marker. */
export async function pages<P, T>(
  fetch: (token: string | undefined) => Promise<P>,
  split: (page: P) => [T[] | undefined, string | null | undefined],
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const [pageItems, next] = split(await fetch(token));
    items.push(...(pageItems ?? []));
    token = next ?? undefined;
  } while (token);
  return items;
}
