// IoT policy documents: JSON with Version and Statement[{Effect, Action, Resource, Condition}]
// (aws-iot §3.4, §4.4). A document the data plane could not evaluate is refused at CreatePolicy.
import { IotException } from "./iot-exception.ts";

export type Effect = "Allow" | "Deny";

export interface PolicyStatement {
  Sid?: string;
  Effect: Effect;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  /** operator → condition key → values, e.g. Bool → iot:Connection.Thing.IsAttached → ["true"]. */
  Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** aws-iot §2.2: the documented limit is 2048 characters excluding whitespace. */
export const MAX_POLICY_CHARACTERS = 2048;
const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
const STATEMENT_KEYS = new Set([
  "Sid",
  "Effect",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);

const malformed = (why: string) =>
  new IotException("MalformedPolicyException", `Policy document is malformed: ${why}`);

export function parsePolicyDocument(text: string): PolicyDocument {
  if (text.replace(/\s/g, "").length > MAX_POLICY_CHARACTERS) {
    throw malformed(`exceeds ${MAX_POLICY_CHARACTERS} characters (whitespace excluded)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformed("not valid JSON");
  }
  if (!isObject(raw)) throw malformed("the document must be a JSON object");
  for (const key of Object.keys(raw)) {
    if (key !== "Version" && key !== "Statement" && key !== "Id") throw malformed(`unknown element ${key}`);
  }
  if (typeof raw.Version !== "string" || !VERSIONS.has(raw.Version)) {
    throw malformed(`Version must be "2012-10-17", got ${JSON.stringify(raw.Version)}`);
  }
  const statements = Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement];
  if (raw.Statement === undefined || statements.length === 0)
    throw malformed("Statement is missing or empty");
  return { Version: raw.Version, Statement: statements.map((s, i) => statement(s, `Statement[${i}]`)) };
}

function statement(raw: unknown, at: string): PolicyStatement {
  if (!isObject(raw)) throw malformed(`${at} must be an object`);
  for (const key of Object.keys(raw))
    if (!STATEMENT_KEYS.has(key)) throw malformed(`${at} has unknown element ${key}`);
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") throw malformed(`${at}.Effect must be Allow or Deny`);
  const out: PolicyStatement = { Effect: raw.Effect };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid !== "string") throw malformed(`${at}.Sid must be a string`);
    out.Sid = raw.Sid;
  }
  if ((raw.Action === undefined) === (raw.NotAction === undefined)) {
    throw malformed(`${at} needs exactly one of Action or NotAction`);
  }
  if ((raw.Resource === undefined) === (raw.NotResource === undefined)) {
    throw malformed(`${at} needs exactly one of Resource or NotResource`);
  }
  for (const key of ["Action", "NotAction"] as const) {
    if (raw[key] !== undefined) out[key] = strings(raw[key], `${at}.${key}`, isAction);
  }
  for (const key of ["Resource", "NotResource"] as const) {
    if (raw[key] !== undefined) out[key] = strings(raw[key], `${at}.${key}`, isResource);
  }
  if (raw.Condition !== undefined) out.Condition = condition(raw.Condition, `${at}.Condition`);
  return out;
}

function condition(raw: unknown, at: string): Record<string, Record<string, string[]>> {
  if (!isObject(raw)) throw malformed(`${at} must be an object`);
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, block] of Object.entries(raw)) {
    if (!isObject(block)) throw malformed(`${at}.${operator} must be an object`);
    const keys: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(block)) {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || !list.every((v) => ["string", "boolean", "number"].includes(typeof v))) {
        throw malformed(`${at}.${operator}.${key} must be a value or a list of values`);
      }
      keys[key] = list.map(String);
    }
    out[operator] = keys;
  }
  return out;
}

function strings(raw: unknown, at: string, valid: (s: string) => boolean): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw malformed(`${at} must not be empty`);
  return list.map((v) => {
    if (typeof v !== "string" || !valid(v))
      throw malformed(`${at} has an invalid entry ${JSON.stringify(v)}`);
    return v;
  });
}

const isAction = (s: string): boolean => s === "*" || /^(iot|greengrass):[A-Za-z*?]+$/.test(s);
const isResource = (s: string): boolean => s === "*" || s.startsWith("arn:");

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
