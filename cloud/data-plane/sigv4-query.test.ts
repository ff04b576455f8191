import { Sha256Node } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { DataPlaneError } from "./errors.ts";
import { SIGV4_SERVICE, verifySignedUrl } from "./sigv4-query.ts";

const HOST = "a1b2c3-ats.iot.eu-west-1.amazonaws.com";
const KEY = { accessKeyId: "AKIATWINTEST0000001", secretAccessKey: "s3cr3t/with+special=chars" };
const NOW = Date.UTC(2026, 11, 4, 8, 0, 0);

/** Presigns `GET /mqtt` with the AWS SDK's own signer, as a browser client of IoT would. */
async function presign(
  opts: { sessionToken?: string; expiresIn?: number; at?: number } = {},
): Promise<string> {
  const signer = new SignatureV4({
    service: SIGV4_SERVICE,
    region: "eu-west-1",
    credentials: { ...KEY, ...(opts.sessionToken ? { sessionToken: opts.sessionToken } : {}) },
    sha256: Sha256Node,
  });
  const signed = await signer.presign(
    { method: "GET", protocol: "wss:", hostname: HOST, path: "/mqtt", headers: { host: HOST }, query: {} },
    { signingDate: new Date(opts.at ?? NOW), expiresIn: opts.expiresIn ?? 3600 },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  return `/mqtt?${query}`;
}

const secretOf = (id: string): string | undefined =>
  id === KEY.accessKeyId ? KEY.secretAccessKey : undefined;
const verify = (url: string, now = NOW, host = HOST) =>
  verifySignedUrl({ url, headers: { host }, now }, secretOf);
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof DataPlaneError ? e.code + ": " + e.message : String(e);
  }
  return undefined;
};

describe("SigV4-signed WebSocket URL (aws-iot §4.1)", () => {
  it("accepts a URL signed by the AWS SDK signer and names the access key and region", async () => {
    expect(verify(await presign())).toEqual({ accessKeyId: KEY.accessKeyId, region: "eu-west-1" });
  });

  it("accepts a session token whether it was signed or appended after signing", async () => {
    const signed = await presign({ sessionToken: "tok+en/=" });
    expect(verify(signed).sessionToken).toBe("tok+en/=");
    const appended = `${await presign()}&X-Amz-Security-Token=${encodeURIComponent("late+token")}`;
    expect(verify(appended).sessionToken).toBe("late+token");
  });

  it("refuses a tampered signature, another host, an unknown key and an expired URL", async () => {
    const url = await presign({ expiresIn: 60 });
    const sig = /X-Amz-Signature=([0-9a-f]+)/.exec(url)![1]!;
    const flipped = url.replace(sig, (sig[0] === "0" ? "1" : "0") + sig.slice(1));
    expect(code(() => verify(flipped))).toMatch(/^SIGV4_INVALID: signature does not match/);
    expect(code(() => verify(url, NOW, "other-ats.iot.eu-west-1.amazonaws.com"))).toMatch(/does not match/);
    expect(code(() => verify(url.replace(KEY.accessKeyId, "AKIAUNKNOWN000000000")))).toMatch(
      /unknown access key/,
    );
    expect(code(() => verify(url, NOW + 61_000))).toMatch(/expired/);
    expect(code(() => verify(url, NOW - 16 * 60_000))).toMatch(/not yet valid/);
  });

  it("refuses URLs without the signing parameters", () => {
    expect(code(() => verify("/mqtt"))).toMatch(/missing X-Amz-Algorithm/);
    expect(code(() => verify("/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a/b"))).toMatch(
      /malformed X-Amz-Credential/,
    );
  });
});
