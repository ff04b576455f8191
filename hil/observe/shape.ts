// A tiny JSON shape matcher for payload assertions (no schema library): type names, regular
// expressions for strings, exact values, nested objects (extra keys allowed) and arrays.

const EXACT = Symbol("exact");
const OPTIONAL = Symbol("optional");

export type Shape =
  | "string"
  | "number"
  | "integer"
  | "boolean"
  | "null"
  | "any"
  | RegExp
  | { readonly [EXACT]: unknown }
  | { readonly [OPTIONAL]: Shape }
  | readonly [Shape]
  | { readonly [key: string]: Shape };

/** A value that must be equal (JSON-wise) to `value`. */
export const exactly = (value: unknown): Shape => ({ [EXACT]: value });
/** A key that may be absent; when present its value must match `shape`. */
export const optional = (shape: Shape): Shape => ({ [OPTIONAL]: shape });

/** Every mismatch as `path: expected …, got …`; empty when `value` has the shape. */
export function shapeMismatches(value: unknown, shape: Shape, path = "$"): string[] {
  const got = (): string => JSON.stringify(value) ?? String(value);
  if (typeof shape === "string") {
    const ok =
      shape === "any" ||
      (shape === "null" && value === null) ||
      (shape === "integer" && Number.isInteger(value)) ||
      (shape === "number" && typeof value === "number") ||
      (shape === "string" && typeof value === "string") ||
      (shape === "boolean" && typeof value === "boolean");
    return ok ? [] : [`${path}: expected ${shape}, got ${got()}`];
  }
  if (shape instanceof RegExp) {
    return typeof value === "string" && shape.test(value)
      ? []
      : [`${path}: expected a string matching ${shape}, got ${got()}`];
  }
  if (EXACT in shape) {
    return JSON.stringify(value) === JSON.stringify(shape[EXACT])
      ? []
      : [`${path}: expected ${JSON.stringify(shape[EXACT])}, got ${got()}`];
  }
  if (OPTIONAL in shape) return value === undefined ? [] : shapeMismatches(value, shape[OPTIONAL], path);
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${path}: expected an array, got ${got()}`];
    const item = shape[0] as Shape;
    return value.flatMap((v, i) => shapeMismatches(v, item, `${path}[${i}]`));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return [`${path}: expected an object, got ${got()}`];
  const record = value as Record<string, unknown>;
  return Object.entries(shape as Record<string, Shape>).flatMap(([key, s]) => {
    const optionalKey = typeof s === "object" && s !== null && OPTIONAL in s;
    if (!(key in record) && !optionalKey) return [`${path}.${key}: missing`];
    return shapeMismatches(record[key], s, `${path}.${key}`);
  });
}

/**
 * A payload as JSON. One trailing NUL is dropped: the shadow task sends its JSON with the C string
 * terminator (firmware-shell §9.3).
 */
export function parsePayload(payload: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = payload.toString("utf8").replace(/\0$/, "");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
}

/** Mismatches of a raw payload against `shape`, including "not JSON". */
export function payloadMismatches(payload: Buffer, shape: Shape): string[] {
  const parsed = parsePayload(payload);
  return parsed.ok ? shapeMismatches(parsed.value, shape) : [`$: ${parsed.error}`];
}
