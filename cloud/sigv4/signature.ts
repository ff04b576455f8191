// The SigV4 signature itself: string to sign, derived key, constant-time comparison.
import { createHmac, timingSafeEqual } from "node:crypto";
import { ALGORITHM, sha256Hex, type CredentialScope } from "./canonical.ts";

const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac("sha256", key).update(data, "utf8").digest();

/** The derived key of a credential scope; reused for several canonical requests of one signature. */
export function signingKey(secret: string, scope: CredentialScope): Buffer {
  return [scope.day, scope.region, scope.service, "aws4_request"].reduce<Buffer>(
    (k, part) => hmac(k, part),
    Buffer.from(`AWS4${secret}`, "utf8"),
  );
}

/** Whether `signatureHex` signs `canonicalRequest` at `amzDate` in `scope` with `key`. */
export function signatureMatches(
  key: Buffer,
  scope: CredentialScope,
  amzDate: string,
  canonicalRequest: string,
  signatureHex: string,
): boolean {
  const scopeText = `${scope.day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scopeText, sha256Hex(canonicalRequest)].join("\n");
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signatureHex, "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
