// aws-iot §3.5 DescribeEndpoint — GET /endpoint?endpointType; no type is the legacy iot:Data endpoint.
import { endpointAddress, type EndpointType } from "../../registry/account-identity.ts";
import { invalidRequest } from "../../registry/iot-exception.ts";
import { queryString, type Operation } from "../operation.ts";

const TYPES: readonly EndpointType[] = ["iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs"];

export const describeEndpoint: Operation = (r) => {
  const requested = queryString(r, "endpointType") ?? "iot:Data";
  const type = TYPES.find((t) => t.toLowerCase() === requested.toLowerCase());
  if (!type) throw invalidRequest(`Endpoint type ${requested} not recognized.`);
  return { endpointAddress: endpointAddress(r.account.identity, type) };
};
