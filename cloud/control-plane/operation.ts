// What an operation file receives and returns, and the typed readers of its inputs. A wrong type
// or a missing required member is AWS's validation error, never a crash (aws-iot §2).
import type { IncomingHttpHeaders } from "node:http";
import type { AccountRegistry } from "../registry/account-registry.ts";
import { invalidRequest } from "../registry/iot-exception.ts";

export interface OperationRequest {
  account: AccountRegistry;
  /** Path labels, each segment percent-decoded on its own (aws-iot §2 label encoding). */
  labels: Readonly<Record<string, string>>;
  query: ReadonlyMap<string, string>;
  headers: IncomingHttpHeaders;
  /** The JSON body, `{}` when there is none. */
  body: Readonly<Record<string, unknown>>;
}

/** A JSON object for operations with outputs; undefined for those without (empty 200, aws-iot §2). */
export type Operation = (request: OperationRequest) => object | undefined;

const mustNotBeNull = (field: string) =>
  invalidRequest(
    `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
  );

const wrongType = (field: string, type: string) => invalidRequest(`Value for '${field}' must be ${type}`);

export function label(r: OperationRequest, name: string): string {
  const v = r.labels[name];
  if (v === undefined || v === "") throw mustNotBeNull(name);
  return v;
}

export function bodyString(r: OperationRequest, name: string): string | undefined {
  const v = r.body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw wrongType(name, "a string");
  return v;
}

export function requiredBodyString(r: OperationRequest, name: string): string {
  return bodyString(r, name) ?? throwError(mustNotBeNull(name));
}

export function bodyObject(r: OperationRequest, name: string): Record<string, unknown> | undefined {
  const v = r.body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw wrongType(name, "an object");
  return v as Record<string, unknown>;
}

export function bodyArray(r: OperationRequest, name: string): unknown[] | undefined {
  const v = r.body[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw wrongType(name, "a list");
  return v;
}

export function stringMap(value: Record<string, unknown>, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw wrongType(`${field}.${k}`, "a string");
    out[k] = v;
  }
  return out;
}

/** `[{Key, Value}]` as TagResource and CreatePolicy send them (aws-iot §3.4, §3.5). */
export function tagList(
  r: OperationRequest,
  name: string,
): Array<{ Key: string; Value?: string }> | undefined {
  return bodyArray(r, name)?.map((t, i) => {
    const tag = t as { Key?: unknown; Value?: unknown } | null;
    if (typeof tag !== "object" || tag === null || typeof tag.Key !== "string")
      throw mustNotBeNull(`${name}.${i + 1}.member.key`);
    if (tag.Value !== undefined && tag.Value !== null && typeof tag.Value !== "string") {
      throw wrongType(`${name}.${i + 1}.member.value`, "a string");
    }
    return typeof tag.Value === "string" ? { Key: tag.Key, Value: tag.Value } : { Key: tag.Key };
  });
}

export function queryString(r: OperationRequest, name: string): string | undefined {
  return r.query.get(name);
}

/** Integers travel as decimal strings in the query (aws-iot §2). */
export function queryInt(r: OperationRequest, name: string): number | undefined {
  const v = r.query.get(name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw wrongType(name, "an integer");
  return Number(v);
}

/** Booleans travel as `true` / `false` in the query (aws-iot §2). */
export function queryBool(r: OperationRequest, name: string): boolean | undefined {
  const v = r.query.get(name);
  if (v === undefined) return undefined;
  if (v !== "true" && v !== "false") throw wrongType(name, "true or false");
  return v === "true";
}

export function header(r: OperationRequest, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

export function requiredHeader(r: OperationRequest, name: string, field: string): string {
  return header(r, name) ?? throwError(mustNotBeNull(field));
}

function throwError(e: Error): never {
  throw e;
}

/** Only present members: absent ones are omitted, never null (aws-iot §2). */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
