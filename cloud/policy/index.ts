// IoT policies, shared by the registry (CreatePolicy validation) and the data plane (evaluation):
// the document grammar, IAM wildcards and policy variables, and the allow/deny decision (aws-iot §4.4).
export { PolicyDocumentError } from "./document-error.ts";
export {
  MAX_POLICY_CHARACTERS,
  parsePolicyDocument,
  type Condition,
  type Effect,
  type ParseOptions,
  type Statement,
} from "./document.ts";
export { evaluate, type AuthorizationRequest, type Decision } from "./evaluate.ts";
export { matchesAction, matchesPattern, substitute, type PolicyVariables } from "./pattern.ts";
