// aws-iot §3.4 ListPolicies — GET /policies?marker&pageSize&isAscendingOrder.
import { compact, queryBool, queryInt, queryString, type Operation } from "../operation.ts";

export const listPolicies: Operation = (r) => {
  const page = r.account.listPolicies(
    compact({
      pageSize: queryInt(r, "pageSize"),
      marker: queryString(r, "marker"),
      ascending: queryBool(r, "isAscendingOrder"),
    }),
  );
  return compact({
    policies: page.items.map((p) => ({ policyName: p.policyName, policyArn: p.policyArn })),
    nextMarker: page.next,
  });
};
