// aws-iot §3.2 DeleteThing — DELETE /things/{thingName}?expectedVersion; the output is an empty structure.
import { label, queryInt, type Operation } from "../operation.ts";

export const deleteThing: Operation = (r) => {
  r.account.deleteThing(label(r, "thingName"), queryInt(r, "expectedVersion"));
  return {};
};
