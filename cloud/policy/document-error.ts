// A policy document that cannot be read (`code` is stable). The control plane answers it as
// MalformedPolicyException; the data plane lets such a document grant nothing.
export class PolicyDocumentError extends Error {
  readonly code = "POLICY_DOCUMENT_INVALID";
  readonly fault = "cloud";
}
