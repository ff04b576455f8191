// aws-iot §3.3 ListPrincipalThings — GET /principals/things?maxResults&nextToken, header x-amzn-principal.
import { compact, queryInt, queryString, requiredHeader, type Operation } from "../operation.ts";

export const listPrincipalThings: Operation = (r) => {
  const page = r.account.listPrincipalThings(
    requiredHeader(r, "x-amzn-principal", "principal"),
    compact({ maxResults: queryInt(r, "maxResults"), nextToken: queryString(r, "nextToken") }),
  );
  return compact({ things: page.items, nextToken: page.next });
};
