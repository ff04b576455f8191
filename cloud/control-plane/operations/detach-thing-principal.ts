// aws-iot §3.3 DetachThingPrincipal — DELETE /things/{thingName}/principals, header x-amzn-principal.
import { label, requiredHeader, type Operation } from "../operation.ts";

export const detachThingPrincipal: Operation = (r) => {
  r.account.detachThingPrincipal(label(r, "thingName"), requiredHeader(r, "x-amzn-principal", "principal"));
  return undefined;
};
