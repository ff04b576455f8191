// The route table of the control plane: method + path template → operation (aws-iot §3). Matching
// splits the raw path on "/" before decoding each segment, so an ARN label keeps its slashes.
import { invalidRequest } from "../registry/iot-exception.ts";
import type { Operation } from "./operation.ts";
import { attachPolicy } from "./operations/attach-policy.ts";
import { attachThingPrincipal } from "./operations/attach-thing-principal.ts";
import { createPolicy } from "./operations/create-policy.ts";
import { createThing } from "./operations/create-thing.ts";
import { deleteCertificate } from "./operations/delete-certificate.ts";
import { deletePolicy } from "./operations/delete-policy.ts";
import { deleteThing } from "./operations/delete-thing.ts";
import { describeCertificate } from "./operations/describe-certificate.ts";
import { describeEndpoint } from "./operations/describe-endpoint.ts";
import { describeThing } from "./operations/describe-thing.ts";
import { detachPolicy } from "./operations/detach-policy.ts";
import { detachThingPrincipal } from "./operations/detach-thing-principal.ts";
import { getPolicy } from "./operations/get-policy.ts";
import { listAttachedPolicies } from "./operations/list-attached-policies.ts";
import { listPolicies } from "./operations/list-policies.ts";
import { listCertificates } from "./operations/list-certificates.ts";
import { listPrincipalThings } from "./operations/list-principal-things.ts";
import { listTagsForResource } from "./operations/list-tags-for-resource.ts";
import { listTargetsForPolicy } from "./operations/list-targets-for-policy.ts";
import { listThingPrincipals } from "./operations/list-thing-principals.ts";
import { listThings } from "./operations/list-things.ts";
import { registerCertificate } from "./operations/register-certificate.ts";
import { registerCertificateWithoutCa } from "./operations/register-certificate-without-ca.ts";
import { tagResource } from "./operations/tag-resource.ts";
import { untagResource } from "./operations/untag-resource.ts";
import { updateCertificate } from "./operations/update-certificate.ts";

interface Route {
  name: string;
  method: string;
  segments: string[];
  operation: Operation;
}

const route = (name: string, method: string, template: string, operation: Operation): Route => ({
  name,
  method,
  segments: template.split("/").slice(1),
  operation,
});

export const ROUTES: readonly Route[] = [
  route("RegisterCertificateWithoutCA", "POST", "/certificate/register-no-ca", registerCertificateWithoutCa),
  route("RegisterCertificate", "POST", "/certificate/register", registerCertificate),
  route("DescribeCertificate", "GET", "/certificates/{certificateId}", describeCertificate),
  route("ListCertificates", "GET", "/certificates", listCertificates),
  route("UpdateCertificate", "PUT", "/certificates/{certificateId}", updateCertificate),
  route("DeleteCertificate", "DELETE", "/certificates/{certificateId}", deleteCertificate),
  route("CreateThing", "POST", "/things/{thingName}", createThing),
  route("DescribeThing", "GET", "/things/{thingName}", describeThing),
  route("ListThings", "GET", "/things", listThings),
  route("DeleteThing", "DELETE", "/things/{thingName}", deleteThing),
  route("AttachThingPrincipal", "PUT", "/things/{thingName}/principals", attachThingPrincipal),
  route("DetachThingPrincipal", "DELETE", "/things/{thingName}/principals", detachThingPrincipal),
  route("ListThingPrincipals", "GET", "/things/{thingName}/principals", listThingPrincipals),
  route("ListPrincipalThings", "GET", "/principals/things", listPrincipalThings),
  route("CreatePolicy", "POST", "/policies/{policyName}", createPolicy),
  route("GetPolicy", "GET", "/policies/{policyName}", getPolicy),
  route("DeletePolicy", "DELETE", "/policies/{policyName}", deletePolicy),
  route("AttachPolicy", "PUT", "/target-policies/{policyName}", attachPolicy),
  route("DetachPolicy", "POST", "/target-policies/{policyName}", detachPolicy),
  route("ListAttachedPolicies", "POST", "/attached-policies/{target}", listAttachedPolicies),
  route("ListPolicies", "GET", "/policies", listPolicies),
  route("ListTargetsForPolicy", "POST", "/policy-targets/{policyName}", listTargetsForPolicy),
  route("DescribeEndpoint", "GET", "/endpoint", describeEndpoint),
  route("TagResource", "POST", "/tags", tagResource),
  route("UntagResource", "POST", "/untag", untagResource),
  route("ListTagsForResource", "GET", "/tags", listTagsForResource),
];

export interface RouteMatch {
  name: string;
  operation: Operation;
  labels: Record<string, string>;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidRequest(`Malformed percent-encoding in path segment '${segment}'`);
  }
}

export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const raw = rawPath.split("/").slice(1);
  if (raw.at(-1) === "" && raw.length > 1) raw.pop(); // tolerate one trailing slash
  for (const r of ROUTES) {
    if (r.method !== method || r.segments.length !== raw.length) continue;
    const labels: Record<string, string> = {};
    const ok = r.segments.every((template, i) => {
      const segment = raw[i] ?? "";
      if (template.startsWith("{")) {
        if (segment === "") return false;
        labels[template.slice(1, -1)] = segment;
        return true;
      }
      return template === segment;
    });
    if (!ok) continue;
    for (const key of Object.keys(labels)) labels[key] = decodeSegment(labels[key] ?? "");
    return { name: r.name, operation: r.operation, labels };
  }
  return undefined;
}
