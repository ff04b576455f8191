// Verifies the SigV4 query-string signature of an MQTT-over-WebSocket URL (aws-iot §4.1, §8 option A):
// `GET /mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-SignedHeaders=host&X-Amz-Signature=…`.
import * as sigv4 from "../sigv4/index.ts";
import { DataPlaneError } from "./errors.ts";

export const SIGV4_SERVICE = "iotdevicegateway";
const EMPTY_SHA256 = sigv4.sha256Hex("");

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

const fail = (why: string): never => {
  throw new DataPlaneError("SIGV4_INVALID", why);
};

/** Reads and checks the URL's signing parameters; `secretOf` is asked for the access key's secret. */
export function verifySignedUrl(
  request: SignedUrlRequest,
  secretOf: (accessKeyId: string) => string | undefined,
): SignedUrlIdentity {
  const [path = "", query = ""] = request.url.split("?", 2);
  const q = new Map(sigv4.queryPairs(query));
  const param = (name: string): string => q.get(name) ?? fail(`missing ${name}`);
  if (param("X-Amz-Algorithm") !== sigv4.ALGORITHM) fail("unsupported X-Amz-Algorithm");
  const scope = sigv4.parseCredential(param("X-Amz-Credential")) ?? fail("malformed X-Amz-Credential");
  if (scope.service !== SIGV4_SERVICE) fail(`credential scope service must be ${SIGV4_SERVICE}`);
  const amzDate = param("X-Amz-Date");
  const signedAt = sigv4.parseAmzDate(amzDate) ?? fail("malformed X-Amz-Date");
  if (!amzDate.startsWith(scope.day)) fail("X-Amz-Date does not match the credential scope");
  const expires = q.get("X-Amz-Expires");
  const validUntil = signedAt + (expires === undefined ? sigv4.MAX_SKEW_MS : Number(expires) * 1000);
  if (signedAt - sigv4.MAX_SKEW_MS > request.now || request.now > validUntil)
    fail("signature expired or not yet valid");
  const secret = secretOf(scope.accessKeyId) ?? fail("unknown access key");

  const signedHeaders = param("X-Amz-SignedHeaders").toLowerCase().split(";");
  const key = sigv4.signingKey(secret, scope);
  const signature = param("X-Amz-Signature");
  // The token is added after signing by the AWS device SDKs (omit_session_token), before it by generic signers.
  const token = q.get("X-Amz-Security-Token");
  const variants = token === undefined ? [false] : [true, false];
  const ok = variants.some((withToken) => {
    const pairs = [...q.entries()].filter(
      ([k]) => k !== "X-Amz-Signature" && (withToken || k !== "X-Amz-Security-Token"),
    );
    const canonicalRequest = [
      "GET",
      path.split("/").map(sigv4.decodeLoosely).map(sigv4.escapeUri).join("/"),
      sigv4.canonicalQuery(pairs),
      sigv4.canonicalHeaders(request.headers, signedHeaders),
      signedHeaders.join(";"),
      EMPTY_SHA256,
    ].join("\n");
    return sigv4.signatureMatches(key, scope, amzDate, canonicalRequest, signature);
  });
  if (!ok) fail("signature does not match");
  const { accessKeyId, region } = scope;
  return token === undefined ? { accessKeyId, region } : { accessKeyId, region, sessionToken: token };
}
