// The JSON algebra of a shadow document (aws-iot-docs device-shadow-document): merging a request's
// `desired`/`reported` section, the metadata timestamps that mirror it, and the delta.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Metadata for a request section: every leaf becomes `{timestamp}`; arrays element by element. */
export function metadataFor(value: Json, timestamp: number): Json {
  if (Array.isArray(value)) return value.map((v) => metadataFor(v, timestamp));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = metadataFor(v, timestamp);
    return out;
  }
  return { timestamp };
}

/**
 * Applies a request section to a stored one: `null` removes a field, objects merge, anything else
 * (arrays included) replaces. Objects left empty by removals disappear (INFERRED from "If an update
 * causes the desired or reported properties to become null, it is removed").
 */
export function mergeSection(stored: JsonObject | undefined, patch: JsonObject): JsonObject | undefined {
  const out: JsonObject = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value)) {
      const current = out[key];
      const merged = mergeSection(isObject(current) ? current : undefined, value);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Metadata follows the same merge as the state it describes, leaf timestamps replacing older ones. */
export function mergeMetadata(
  stored: JsonObject | undefined,
  patch: JsonObject,
  timestamp: number,
): JsonObject | undefined {
  const out: JsonObject = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value)) {
      const current = out[key];
      // A leaf's metadata is `{timestamp}`; an object's is per field, so a leaf turning object starts over.
      const base = isObject(current) && !isLeafMeta(current) ? current : undefined;
      const merged = mergeMetadata(base, value, timestamp);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = metadataFor(value, timestamp);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const isLeafMeta = (v: JsonObject): boolean => Object.keys(v).length === 1 && typeof v.timestamp === "number";

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The delta: desired fields missing from or different in reported, down to the differing leaves
 * (aws-iot-docs "Delta state"); arrays compare as whole values. Undefined when there is none.
 */
export function delta(
  desired: JsonObject | undefined,
  reported: JsonObject | undefined,
): JsonObject | undefined {
  if (!desired) return undefined;
  const out: JsonObject = {};
  for (const [key, want] of Object.entries(desired)) {
    const have = reported?.[key];
    if (isObject(want) && isObject(have)) {
      const nested = delta(want, have);
      if (nested) out[key] = nested;
    } else if (!deepEqual(want, have)) out[key] = want;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The part of `metadata` whose paths are in `shape` (the delta's metadata is the desired one's). */
export function pick(metadata: JsonObject | undefined, shape: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(shape)) {
    const meta = metadata?.[key];
    if (meta === undefined) continue;
    out[key] = isObject(value) && isObject(meta) && !isLeafMeta(meta) ? pick(meta, value) : meta;
  }
  return out;
}

/** Levels of object nesting below a section (aws-iot-docs: "maximum is 6"). */
export function depth(value: Json): number {
  if (Array.isArray(value)) return value.reduce<number>((d, v) => Math.max(d, depth(v)), 0);
  if (!isObject(value)) return 0;
  return 1 + Object.values(value).reduce<number>((d, v) => Math.max(d, depth(v)), 0);
}

/** aws-iot-docs "Array values": arrays cannot hold null. */
export function hasNullInArray(value: Json): boolean {
  if (Array.isArray(value)) return value.some((v) => v === null || hasNullInArray(v));
  if (isObject(value)) return Object.values(value).some(hasNullInArray);
  return false;
}
