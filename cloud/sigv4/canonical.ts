// The pieces of a SigV4 canonical request that every verifier of the twin shares: URI encoding, query
// canonicalisation, header canonicalisation, X-Amz-Date and the credential scope (aws-iot §2, §4.1).
import { createHash } from "node:crypto";

export const ALGORITHM = "AWS4-HMAC-SHA256";
/** AWS accepts requests signed up to 15 minutes from its clock. */
export const MAX_SKEW_MS = 15 * 60_000;

/** RFC 3986 unreserved characters stay, everything else is %XX (the SDK's escapeUri). */
export const escapeUri = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Percent-decoding that keeps a malformed escape as it is instead of throwing. */
export function decodeLoosely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const sha256Hex = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

/** Query pairs, decoded without URLSearchParams' `+` → space rule, which SigV4 does not have. */
export function queryPairs(rawQuery: string): [string, string][] {
  return rawQuery
    .split("&")
    .filter((p) => p !== "")
    .map((p) => {
      const eq = p.indexOf("=");
      return eq < 0
        ? [decodeLoosely(p), ""]
        : [decodeLoosely(p.slice(0, eq)), decodeLoosely(p.slice(eq + 1))];
    });
}

/** Decoded pairs encoded again and sorted by key, then value. */
export function canonicalQuery(pairs: Iterable<readonly [string, string]>): string {
  const encoded = [...pairs].map(([k, v]) => [escapeUri(k), escapeUri(v)] as const);
  encoded.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join("&");
}

/** `name:value\n` per signed header, values trimmed with inner white space folded to one space. */
export function canonicalHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  signed: readonly string[],
): string {
  const value = (name: string): string => {
    const v = headers[name];
    return (Array.isArray(v) ? v.join(",") : (v ?? "")).replace(/\s+/g, " ").trim();
  };
  return signed.map((h) => `${h}:${value(h)}\n`).join("");
}

/** Epoch ms of an `X-Amz-Date` (yyyyMMddTHHmmssZ), or undefined. */
export function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

export interface CredentialScope {
  accessKeyId: string;
  /** yyyyMMdd */
  day: string;
  region: string;
  service: string;
}

/** `<key>/<yyyyMMdd>/<region>/<service>/aws4_request`, or undefined when it is not of that form. */
export function parseCredential(credential: string): CredentialScope | undefined {
  const [accessKeyId = "", day = "", region = "", service = "", terminal = "", ...extra] =
    credential.split("/");
  const ok = extra.length === 0 && terminal === "aws4_request" && /^\d{8}$/.test(day);
  return ok && accessKeyId && region ? { accessKeyId, day, region, service } : undefined;
}
