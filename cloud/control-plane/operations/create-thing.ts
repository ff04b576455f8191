// aws-iot §3.2 CreateThing — POST /things/{thingName} {attributePayload?, thingTypeName?, billingGroupName?}.
import { bodyObject, bodyString, compact, label, stringMap, type Operation } from "../operation.ts";

export const createThing: Operation = (r) => {
  const payload = bodyObject(r, "attributePayload");
  const rawAttributes = payload?.attributes;
  const attributes =
    rawAttributes === undefined || rawAttributes === null
      ? undefined
      : stringMap(
          typeof rawAttributes === "object" && !Array.isArray(rawAttributes)
            ? (rawAttributes as Record<string, unknown>)
            : { "": rawAttributes },
          "attributePayload.attributes",
        );
  const thing = r.account.createThing(
    label(r, "thingName"),
    compact({
      attributes,
      thingTypeName: bodyString(r, "thingTypeName"),
      billingGroupName: bodyString(r, "billingGroupName"),
    }),
  );
  return { thingName: thing.thingName, thingArn: thing.thingArn, thingId: thing.thingId };
};
