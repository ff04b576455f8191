// IAM-style evaluation of IoT policies: explicit deny wins, then an explicit allow, else implicit deny
// (aws-iot §4.4).
import type { Condition, Statement } from "./document.ts";
import { matchesAction, matchesPattern, substitute, type PolicyVariables } from "./pattern.ts";

export interface AuthorizationRequest {
  /** e.g. `iot:Publish`. */
  action: string;
  /** Full ARN, e.g. `arn:aws:iot:eu-west-1:111122223333:topic/thing-1/telemetry`. */
  resource: string;
  /** Policy variables and condition keys (`iot:ClientId`, `iot:Connection.Thing.ThingName`, …). */
  variables: PolicyVariables;
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

const IF_EXISTS = "IfExists";

function stringOperator(
  op: string,
  actual: string,
  patterns: readonly string[],
  vars: PolicyVariables,
): boolean {
  const values = patterns.map((p) => substitute(p, vars)).filter((v) => v !== undefined);
  const like = (): boolean => patterns.some((p) => matchesPattern(p, actual, vars));
  switch (op) {
    case "StringEquals":
    case "ArnEquals":
      return values.includes(actual);
    case "StringNotEquals":
    case "ArnNotEquals":
      return !values.includes(actual);
    case "StringEqualsIgnoreCase":
      return values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case "StringNotEqualsIgnoreCase":
      return !values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case "StringLike":
    case "ArnLike":
      return like();
    case "StringNotLike":
    case "ArnNotLike":
      return !like();
    case "Bool":
      return values.some((v) => v.toLowerCase() === actual.toLowerCase());
    default:
      // An operator this twin does not know never grants (and never denies) anything.
      return false;
  }
}

function conditionHolds(c: Condition, vars: PolicyVariables): boolean {
  const actual = vars.get(c.key);
  if (c.operator === "Null")
    return c.values.some((v) => (v.toLowerCase() === "true") === (actual === undefined));
  const ifExists = c.operator.endsWith(IF_EXISTS);
  if (actual === undefined) return ifExists;
  const op = ifExists ? c.operator.slice(0, -IF_EXISTS.length) : c.operator;
  return stringOperator(op, actual, c.values, vars);
}

function applies(s: Statement, request: AuthorizationRequest): boolean {
  const actionListed = s.actions.some((a) => matchesAction(a, request.action));
  if (actionListed === s.negatedActions) return false;
  const resourceListed = s.resources.some((r) => matchesPattern(r, request.resource, request.variables));
  if (resourceListed === s.negatedResources) return false;
  return s.conditions.every((c) => conditionHolds(c, request.variables));
}

export function evaluate(statements: Iterable<Statement>, request: AuthorizationRequest): Decision {
  let allowed = false;
  for (const s of statements) {
    if (!applies(s, request)) continue;
    if (s.effect === "Deny") return "explicit-deny";
    allowed = true;
  }
  return allowed ? "allow" : "implicit-deny";
}
