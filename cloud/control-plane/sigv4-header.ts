// Verifies the SigV4 `Authorization` header that @aws-sdk/client-iot sends (aws-iot §2), and names the
// access key, so the twin knows which account is calling. Failures answer as the AWS front end does.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { IotException } from "../registry/iot-exception.ts";

const ALGORITHM = "AWS4-HMAC-SHA256";
const SERVICE = "iot";
const MAX_SKEW_MS = 15 * 60_000;

export interface SignedRequest {
  method: string;
  /** Path exactly as on the request line, still percent-encoded. */
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SignatureScope {
  accessKeyId: string;
  region: string;
}

/** RFC 3986 unreserved characters stay, everything else is %XX (the SDK's escapeUri). */
export const escapeUri = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac("sha256", key).update(data, "utf8").digest();
const sha256Hex = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

const incomplete = (why: string) => new IotException("IncompleteSignatureException", why);
const invalidSignature = (why: string) => new IotException("InvalidSignatureException", why);

/** Reads the credential scope without checking the signature: which key, which region. */
export function readAuthorization(headers: IncomingHttpHeaders): {
  scope: SignatureScope;
  day: string;
  service: string;
  signedHeaders: string[];
  signature: string;
} {
  const header = headers.authorization;
  if (!header) throw new IotException("MissingAuthenticationTokenException", "Missing Authentication Token");
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported authorization algorithm ${algorithm ?? ""}`);
  const fields = new Map<string, string>();
  for (const part of rest.join("").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential || !signedHeaders || !signature) {
    throw incomplete(
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${header}`,
    );
  }
  const [accessKeyId = "", day = "", region = "", service = "", terminal = "", ...extra] =
    credential.split("/");
  if (extra.length > 0 || terminal !== "aws4_request" || !/^\d{8}$/.test(day) || !accessKeyId || !region) {
    throw incomplete(
      `Credential should be of the form <key>/<date>/<region>/<service>/aws4_request, got ${credential}`,
    );
  }
  return { scope: { accessKeyId, region }, day, service, signedHeaders: signedHeaders.split(";"), signature };
}

function amzDateOf(headers: IncomingHttpHeaders): { text: string; ms: number } {
  const text = String(headers["x-amz-date"] ?? "");
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw incomplete("Authorization requires an X-Amz-Date header in the form yyyyMMddTHHmmssZ");
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return { text, ms: Date.UTC(y, mo - 1, d, h, mi, s) };
}

/** The canonical path of SigV4 for non-S3 services: normalised, then each raw segment encoded again. */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith("/") ? "/" : "";
  return `/${segments.map(escapeUri).join("/")}${trailing}`;
}

function decodeLoosely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalQuery(rawQuery: string): string {
  const pairs = rawQuery
    .split("&")
    .filter((p) => p !== "")
    .map((p) => {
      const eq = p.indexOf("=");
      const [k, v] = eq < 0 ? [p, ""] : [p.slice(0, eq), p.slice(eq + 1)];
      return [escapeUri(decodeLoosely(k)), escapeUri(decodeLoosely(v))] as const;
    });
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(",") : (v ?? ""))
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();
}

/**
 * Checks the request's signature with `secret`, its date against `now` (epoch ms, 15 minutes of skew)
 * and its scope against the account's region.
 */
export function verifySignature(
  request: SignedRequest,
  secret: string,
  expectedRegion: string,
  now: number,
): void {
  const auth = readAuthorization(request.headers);
  if (auth.service !== SERVICE)
    throw invalidSignature(`Credential should be scoped to correct service: '${SERVICE}'.`);
  if (auth.scope.region !== expectedRegion) {
    throw invalidSignature(`Credential should be scoped to a valid region, not '${auth.scope.region}'.`);
  }
  const date = amzDateOf(request.headers);
  if (!date.text.startsWith(auth.day)) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP`,
    );
  }
  if (Math.abs(now - date.ms) > MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature expired: ${date.text} is now outside the 15 minute window of the service clock.`,
    );
  }
  const bodyHash = sha256Hex(request.body);
  const declared = request.headers["x-amz-content-sha256"];
  if (typeof declared === "string" && declared !== bodyHash && declared !== "UNSIGNED-PAYLOAD") {
    throw invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const signed = auth.signedHeaders.map((h) => h.toLowerCase());
  const canonicalRequest = [
    request.method,
    canonicalPath(request.rawPath),
    canonicalQuery(request.rawQuery),
    signed.map((h) => `${h}:${headerValue(request.headers, h)}\n`).join(""),
    signed.join(";"),
    typeof declared === "string" ? declared : bodyHash,
  ].join("\n");
  const scope = `${auth.day}/${auth.scope.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, date.text, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = [auth.day, auth.scope.region, auth.service, "aws4_request"].reduce<Buffer | string>(
    (k, part) => hmac(k, part),
    `AWS4${secret}`,
  );
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(auth.signature, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw invalidSignature(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
}
