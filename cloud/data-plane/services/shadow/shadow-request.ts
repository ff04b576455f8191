// Reading a shadow request document and its AWS error answers (aws-iot-docs device-shadow-document,
// device-shadow-error-messages). Each refusal is a ShadowRejection with the HTTP code AWS sends.
import { requestText } from "../service-request.ts";
import { depth, hasNullInArray, isObject, type Json, type JsonObject } from "./shadow-state.ts";

// aws-iot limits: a classic shadow document is at most 8 KB; a client token at most 64 bytes.
const MAX_DOCUMENT_BYTES = 8 * 1024;
const MAX_TOKEN_BYTES = 64;
const MAX_NESTING = 6;

export class ShadowRejection extends Error {
  readonly fault = "device";

  constructor(
    /** The HTTP status AWS puts in `code` (400, 404, 409, 413, 415). */
    readonly code: number,
    message: string,
    readonly clientToken?: string,
  ) {
    super(message);
  }
}

export interface UpdateRequest {
  /** `null` clears both sections (aws-iot-docs: setting the state to null does not delete the shadow). */
  state: { desired?: JsonObject | null; reported?: JsonObject | null } | null;
  clientToken?: string;
  version?: number;
}

/** Parses a request body that may be empty (get, delete) or must be a JSON object (update). */
export function readBody(payload: Buffer, emptyAllowed: boolean): JsonObject {
  if (payload.length > MAX_DOCUMENT_BYTES) {
    throw new ShadowRejection(413, "The payload exceeds the maximum size allowed");
  }
  const text = requestText(payload);
  if (text === undefined) {
    throw new ShadowRejection(415, "Unsupported documented encoding; supported encoding is UTF-8");
  }
  if (emptyAllowed && text.trim() === "") return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ShadowRejection(400, "Invalid JSON");
  }
  if (!isObject(doc)) throw new ShadowRejection(400, "Invalid JSON");
  return doc;
}

export function clientTokenOf(doc: JsonObject): string | undefined {
  const token = doc.clientToken;
  if (token === undefined) return undefined;
  if (typeof token !== "string" || Buffer.byteLength(token) > MAX_TOKEN_BYTES) {
    throw new ShadowRejection(400, "Invalid clientToken");
  }
  return token;
}

function section(value: Json | undefined, name: string, token: string | undefined) {
  if (value === undefined || value === null) return value;
  if (!isObject(value)) throw new ShadowRejection(400, `${name} node must be an object`, token);
  if (depth(value) > MAX_NESTING) {
    throw new ShadowRejection(400, "JSON contains too many levels of nesting; maximum is 6", token);
  }
  // INFERRED message: the guide says such arrays "will be rejected" without naming the error.
  if (hasNullInArray(value)) throw new ShadowRejection(400, "Invalid JSON", token);
  return value;
}

export function readUpdate(payload: Buffer): UpdateRequest {
  const doc = readBody(payload, false);
  const clientToken = clientTokenOf(doc);
  const token = clientToken;
  if (!("state" in doc)) throw new ShadowRejection(400, "Missing required node: state", token);
  const version = doc.version;
  if (version !== undefined && !Number.isSafeInteger(version)) {
    throw new ShadowRejection(400, "Invalid version", token);
  }
  const withToken = clientToken === undefined ? {} : { clientToken };
  const withVersion = typeof version === "number" ? { version } : {};
  if (doc.state === null) return { state: null, ...withToken, ...withVersion };
  if (!isObject(doc.state)) throw new ShadowRejection(400, "State node must be an object", token);
  for (const key of Object.keys(doc.state)) {
    if (key !== "desired" && key !== "reported") {
      throw new ShadowRejection(400, "State contains an invalid node", token);
    }
  }
  const desired = section(doc.state.desired, "Desired", token);
  const reported = section(doc.state.reported, "Reported", token);
  const state = {
    ...(desired === undefined ? {} : { desired }),
    ...(reported === undefined ? {} : { reported }),
  };
  return { state, ...withToken, ...withVersion };
}
