// Verifies the SigV4 query-string signature of an MQTT-over-WebSocket URL (aws-iot §4.1, §8 option A):
// `GET /mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-SignedHeaders=host&X-Amz-Signature=…`.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { DataPlaneError } from "./errors.ts";

export const SIGV4_SERVICE = "iotdevicegateway";
const ALGORITHM = "AWS4-HMAC-SHA256";
const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");
const MAX_SKEW_MS = 15 * 60_000;

export interface SignedUrlRequest {
  /** Path with its query, as on the request line. */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Epoch ms. */
  now: number;
}

export interface SignedUrlIdentity {
  accessKeyId: string;
  region: string;
  sessionToken?: string;
}

/** RFC 3986 encoding as SigV4 canonicalisation wants it. */
const encode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac("sha256", key).update(data, "utf8").digest();
const sha256 = (data: string): string => createHash("sha256").update(data, "utf8").digest("hex");

function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

function decodeOrKeep(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Query pairs decoded without URLSearchParams' `+` → space rule, which SigV4 does not have. */
function parseQuery(query: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const [k, v] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    pairs.set(decodeOrKeep(k), decodeOrKeep(v));
  }
  return pairs;
}

const fail = (why: string): never => {
  throw new DataPlaneError("SIGV4_INVALID", why);
};

/** Reads and checks the URL's signing parameters; `secretOf` is asked for the access key's secret. */
export function verifySignedUrl(
  request: SignedUrlRequest,
  secretOf: (accessKeyId: string) => string | undefined,
): SignedUrlIdentity {
  const [path = "", query = ""] = request.url.split("?", 2);
  const q = parseQuery(query);
  const param = (name: string): string => q.get(name) ?? fail(`missing ${name}`);
  if (param("X-Amz-Algorithm") !== ALGORITHM) fail("unsupported X-Amz-Algorithm");
  const [accessKeyId = "", day = "", region = "", service = "", terminal = "", ...extra] =
    param("X-Amz-Credential").split("/");
  if (extra.length > 0 || terminal !== "aws4_request") fail("malformed X-Amz-Credential");
  if (service !== SIGV4_SERVICE) fail(`credential scope service must be ${SIGV4_SERVICE}`);
  const amzDate = param("X-Amz-Date");
  const signedAt = parseAmzDate(amzDate) ?? fail("malformed X-Amz-Date");
  if (!amzDate.startsWith(day)) fail("X-Amz-Date does not match the credential scope");
  const expires = q.get("X-Amz-Expires");
  const validUntil = signedAt + (expires === null ? MAX_SKEW_MS : Number(expires) * 1000);
  if (signedAt - MAX_SKEW_MS > request.now || request.now > validUntil)
    fail("signature expired or not yet valid");
  const secret = secretOf(accessKeyId) ?? fail("unknown access key");

  const signedHeaders = param("X-Amz-SignedHeaders").toLowerCase().split(";");
  const headerValue = (name: string): string => {
    const v = request.headers[name];
    return (Array.isArray(v) ? v.join(",") : (v ?? "")).trim().replace(/\s+/g, " ");
  };
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${headerValue(h)}\n`).join("");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const key = [day, region, service, "aws4_request"].reduce<Buffer | string>(
    (k, d) => hmac(k, d),
    `AWS4${secret}`,
  );
  const given = Buffer.from(param("X-Amz-Signature"), "hex");

  // The token is added after signing by the AWS device SDKs (omit_session_token), before it by generic signers.
  const token = q.get("X-Amz-Security-Token");
  const variants = token === null ? [false] : [true, false];
  const ok = variants.some((withToken) => {
    const pairs = [...q.entries()]
      .filter(([k]) => k !== "X-Amz-Signature" && (withToken || k !== "X-Amz-Security-Token"))
      .map(([k, v]) => [encode(k), encode(v)] as const)
      .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
    const canonicalQuery = pairs.map(([k, v]) => `${k}=${v}`).join("&");
    const canonicalRequest = [
      "GET",
      path.split("/").map(decodeOrKeep).map(encode).join("/"),
      canonicalQuery,
      canonicalHeaders,
      signedHeaders.join(";"),
      EMPTY_SHA256,
    ].join("\n");
    const stringToSign = [ALGORITHM, amzDate, scope, sha256(canonicalRequest)].join("\n");
    const expected = hmac(key, stringToSign);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!ok) fail("signature does not match");
  return token === null ? { accessKeyId, region } : { accessKeyId, region, sessionToken: token };
}
