// Verifies the SigV4 `Authorization` header that @aws-sdk/client-iot sends (aws-iot §2), and names the
// access key, so the twin knows which account is calling. Failures answer as the AWS front end does.
import type { IncomingHttpHeaders } from "node:http";
import { IotException } from "../registry/iot-exception.ts";
import {
  ALGORITHM,
  canonicalHeaders,
  canonicalQuery,
  escapeUri,
  MAX_SKEW_MS,
  parseAmzDate,
  parseCredential,
  queryPairs,
  sha256Hex,
  signatureMatches,
  signingKey,
} from "../sigv4/index.ts";

const SERVICE = "iot";

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
  const parsed = parseCredential(credential);
  if (!parsed) {
    throw incomplete(
      `Credential should be of the form <key>/<date>/<region>/<service>/aws4_request, got ${credential}`,
    );
  }
  const { accessKeyId, day, region, service } = parsed;
  return { scope: { accessKeyId, region }, day, service, signedHeaders: signedHeaders.split(";"), signature };
}

function amzDateOf(headers: IncomingHttpHeaders): { text: string; ms: number } {
  const text = String(headers["x-amz-date"] ?? "");
  const ms = parseAmzDate(text);
  if (ms === undefined) {
    throw incomplete("Authorization requires an X-Amz-Date header in the form yyyyMMddTHHmmssZ");
  }
  return { text, ms };
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
    canonicalQuery(queryPairs(request.rawQuery)),
    canonicalHeaders(request.headers, signed),
    signed.join(";"),
    typeof declared === "string" ? declared : bodyHash,
  ].join("\n");
  const scope = { ...auth.scope, day: auth.day, service: auth.service };
  if (!signatureMatches(signingKey(secret, scope), scope, date.text, canonicalRequest, auth.signature)) {
    throw invalidSignature(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
}
