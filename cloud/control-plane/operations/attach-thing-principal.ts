// aws-iot §3.3 AttachThingPrincipal — PUT /things/{thingName}/principals, header x-amzn-principal.
import { invalidRequest } from "../../registry/iot-exception.ts";
import { label, queryString, requiredHeader, type Operation } from "../operation.ts";

export const attachThingPrincipal: Operation = (r) => {
  const type = queryString(r, "thingPrincipalType");
  if (type !== undefined && type !== "EXCLUSIVE_THING" && type !== "NON_EXCLUSIVE_THING") {
    throw invalidRequest(`Invalid thingPrincipalType: ${type}`);
  }
  r.account.attachThingPrincipal(
    label(r, "thingName"),
    requiredHeader(r, "x-amzn-principal", "principal"),
    type,
  );
  return undefined;
};
