// aws-iot §3.3 ListThingPrincipals — GET /things/{thingName}/principals?maxResults&nextToken.
import { compact, label, queryInt, queryString, type Operation } from "../operation.ts";

export const listThingPrincipals: Operation = (r) => {
  const page = r.account.listThingPrincipals(
    label(r, "thingName"),
    compact({ maxResults: queryInt(r, "maxResults"), nextToken: queryString(r, "nextToken") }),
  );
  return compact({ principals: page.items, nextToken: page.next });
};
