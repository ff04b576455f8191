// aws-iot §3.2 DescribeThing — GET /things/{thingName}.
import { label, type Operation } from "../operation.ts";

export const describeThing: Operation = (r) => {
  const t = r.account.describeThing(label(r, "thingName"));
  return {
    defaultClientId: t.thingName,
    thingName: t.thingName,
    thingId: t.thingId,
    thingArn: t.thingArn,
    attributes: t.attributes,
    version: t.version,
  };
};
