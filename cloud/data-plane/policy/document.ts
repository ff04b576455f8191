// An IoT policy document read into statements (aws-iot §4.4; IAM JSON grammar, the subset IoT uses).
import { PolicyDocumentError } from "../errors.ts";

export type Effect = "Allow" | "Deny";

export interface Condition {
  /** e.g. `Bool`, `StringEquals`, `StringLike`, `ArnEquals`, with an optional `IfExists` suffix. */
  operator: string;
  key: string;
  values: readonly string[];
}

export interface Statement {
  effect: Effect;
  actions: readonly string[];
  /** `NotAction` instead of `Action`. */
  negatedActions: boolean;
  resources: readonly string[];
  /** `NotResource` instead of `Resource`. */
  negatedResources: boolean;
  conditions: readonly Condition[];
}

const strings = (v: unknown, what: string): string[] => {
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === "string" || typeof x === "boolean" || typeof x === "number")) {
    throw new PolicyDocumentError(`${what} must be a string or a list of strings`);
  }
  return list.map(String);
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function conditions(block: unknown): Condition[] {
  if (block === undefined) return [];
  if (!isObject(block)) throw new PolicyDocumentError("Condition must be an object");
  return Object.entries(block).flatMap(([operator, keys]) => {
    if (!isObject(keys)) throw new PolicyDocumentError(`Condition ${operator} must be an object`);
    return Object.entries(keys).map(([key, v]) => ({
      operator,
      key,
      values: strings(v, `${operator}.${key}`),
    }));
  });
}

function statement(s: unknown): Statement {
  if (!isObject(s)) throw new PolicyDocumentError("Statement must be an object");
  if (s.Effect !== "Allow" && s.Effect !== "Deny")
    throw new PolicyDocumentError("Effect must be Allow or Deny");
  const negatedActions = s.Action === undefined && s.NotAction !== undefined;
  const negatedResources = s.Resource === undefined && s.NotResource !== undefined;
  const action = negatedActions ? s.NotAction : s.Action;
  const resource = negatedResources ? s.NotResource : s.Resource;
  if (action === undefined) throw new PolicyDocumentError("Statement needs Action");
  if (resource === undefined) throw new PolicyDocumentError("Statement needs Resource");
  return {
    effect: s.Effect,
    actions: strings(action, "Action"),
    negatedActions,
    resources: strings(resource, "Resource"),
    negatedResources,
    conditions: conditions(s.Condition),
  };
}

export function parsePolicyDocument(text: string): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PolicyDocumentError("policy document is not JSON");
  }
  if (!isObject(doc) || doc.Statement === undefined) throw new PolicyDocumentError("policy needs Statement");
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return list.map(statement);
}
