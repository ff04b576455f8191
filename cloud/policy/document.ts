// An IoT policy document read into statements (aws-iot §3.4, §4.4; the IAM JSON grammar subset IoT uses).
// `strict` is CreatePolicy's validation (size, Version, known elements, action and resource syntax);
// without it, only what evaluation needs, as the data plane reads documents the registry already accepted.
import { PolicyDocumentError } from "./document-error.ts";

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

export interface ParseOptions {
  strict: boolean;
}

/** aws-iot §2.2: the documented limit is 2048 characters excluding whitespace. */
export const MAX_POLICY_CHARACTERS = 2048;
const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
const DOCUMENT_KEYS = new Set(["Version", "Statement", "Id"]);
const STATEMENT_KEYS = new Set([
  "Sid",
  "Effect",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);
const isAction = (s: string): boolean => s === "*" || /^(iot|greengrass):[A-Za-z*?]+$/.test(s);
const isResource = (s: string): boolean => s === "*" || s.startsWith("arn:");

const fail = (why: string): never => {
  throw new PolicyDocumentError(why);
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isScalar = (v: unknown): boolean => ["string", "boolean", "number"].includes(typeof v);

/** A value or a list of values; strict lists are non-empty strings that pass `valid`. */
function strings(raw: unknown, at: string, o: ParseOptions, valid: (s: string) => boolean): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (!o.strict) {
    if (!list.every(isScalar)) fail(`${at} must be a string or a list of strings`);
    return list.map(String);
  }
  if (list.length === 0) fail(`${at} must not be empty`);
  return list.map((v) =>
    typeof v === "string" && valid(v) ? v : fail(`${at} has an invalid entry ${JSON.stringify(v)}`),
  );
}

function conditions(raw: unknown, at: string): Condition[] {
  if (raw === undefined) return [];
  if (!isObject(raw)) return fail(`${at} must be an object`);
  return Object.entries(raw).flatMap(([operator, keys]) => {
    if (!isObject(keys)) return fail(`${at}.${operator} must be an object`);
    return Object.entries(keys).map(([key, value]) => {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || !list.every(isScalar)) {
        fail(`${at}.${operator}.${key} must be a value or a list of values`);
      }
      return { operator, key, values: list.map(String) };
    });
  });
}

function statement(raw: unknown, at: string, o: ParseOptions): Statement {
  if (!isObject(raw)) return fail(`${at} must be an object`);
  if (o.strict) {
    for (const key of Object.keys(raw))
      if (!STATEMENT_KEYS.has(key)) fail(`${at} has unknown element ${key}`);
    if (raw.Sid !== undefined && typeof raw.Sid !== "string") fail(`${at}.Sid must be a string`);
  }
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") return fail(`${at}.Effect must be Allow or Deny`);
  const pair = (name: string, negated: string) => {
    const [plain, not] = [raw[name], raw[negated]];
    if (o.strict ? (plain === undefined) === (not === undefined) : plain === undefined && not === undefined) {
      fail(`${at} needs exactly one of ${name} or ${negated}`);
    }
    // Lenient reading: with both present, the plain element wins.
    return plain === undefined
      ? { value: not, negated: true, name: negated }
      : { value: plain, negated: false, name };
  };
  const action = pair("Action", "NotAction");
  const resource = pair("Resource", "NotResource");
  return {
    effect: raw.Effect,
    actions: strings(action.value, `${at}.${action.name}`, o, isAction),
    negatedActions: action.negated,
    resources: strings(resource.value, `${at}.${resource.name}`, o, isResource),
    negatedResources: resource.negated,
    conditions: conditions(raw.Condition, `${at}.Condition`),
  };
}

export function parsePolicyDocument(text: string, o: ParseOptions = { strict: false }): Statement[] {
  if (o.strict && text.replace(/\s/g, "").length > MAX_POLICY_CHARACTERS) {
    fail(`exceeds ${MAX_POLICY_CHARACTERS} characters (whitespace excluded)`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail("not valid JSON");
  }
  if (!isObject(doc)) return fail("the document must be a JSON object");
  if (o.strict) {
    for (const key of Object.keys(doc)) if (!DOCUMENT_KEYS.has(key)) fail(`unknown element ${key}`);
    if (typeof doc.Version !== "string" || !VERSIONS.has(doc.Version)) {
      fail(`Version must be "2012-10-17", got ${JSON.stringify(doc.Version)}`);
    }
  }
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (doc.Statement === undefined || list.length === 0) fail("Statement is missing or empty");
  return list.map((s, i) => statement(s, `Statement[${i}]`, o));
}
