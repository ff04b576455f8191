// aws-iot §3.4 ListAttachedPolicies — POST /attached-policies/{target}?recursive&marker&pageSize; the
// target is a whole ARN in one percent-encoded path segment.
import { compact, label, queryBool, queryInt, queryString, type Operation } from "../operation.ts";

export const listAttachedPolicies: Operation = (r) => {
  queryBool(r, "recursive"); // thing groups do not exist in the twin, so recursion adds nothing
  const page = r.account.listAttachedPolicies(
    label(r, "target"),
    compact({ pageSize: queryInt(r, "pageSize"), marker: queryString(r, "marker") }),
  );
  return compact({
    policies: page.items.map((p) => ({ policyName: p.policyName, policyArn: p.policyArn })),
    nextMarker: page.next,
  });
};
