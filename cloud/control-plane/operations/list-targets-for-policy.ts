// aws-iot §3.4 ListTargetsForPolicy — POST /policy-targets/{policyName}?marker&pageSize.
import { compact, label, queryInt, queryString, type Operation } from "../operation.ts";

export const listTargetsForPolicy: Operation = (r) => {
  const page = r.account.listTargetsForPolicy(
    label(r, "policyName"),
    compact({ pageSize: queryInt(r, "pageSize"), marker: queryString(r, "marker") }),
  );
  return compact({ targets: page.items, nextMarker: page.next });
};
