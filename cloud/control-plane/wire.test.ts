// aws-iot §2, §6: authentication, malformed requests and injected faults, through raw HTTP and the SDK.
import { createHash, createHmac } from "node:crypto";
import { DescribeEndpointCommand, IoTClient, ListThingsCommand } from "@aws-sdk/client-iot";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clientFor, failure, startTestTwin, type TestTwin } from "./test-kit.ts";

let twin: TestTwin;

beforeEach(async () => {
  twin = await startTestTwin();
});
afterEach(() => twin.close());

const bytes = (d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof d === "string"
    ? d
    : ArrayBuffer.isView(d)
      ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
      : new Uint8Array(d);

/** node:crypto in the shape the SDK signer wants, so raw requests are signed by AWS's own code. */
class NodeSha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.h.digest();
  }
}

async function signedFetch(method: string, path: string, body?: string, account = 0): Promise<Response> {
  const identity = twin.registry.identities()[account];
  if (!identity) throw new Error("no account");
  const url = new URL(path, twin.plane.url);
  const signer = new SignatureV4({
    service: "iot",
    region: identity.region,
    sha256: NodeSha256,
    credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey },
  });
  const query = Object.fromEntries(url.searchParams);
  const signed = await signer.sign({
    method,
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, "content-type": "application/json" },
    body,
  });
  return fetch(url, { method, headers: signed.headers, body });
}

async function expectAwsError(res: Response, status: number, type: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get("x-amzn-errortype")?.replace(/:.*$/, "")).toBe(type);
  expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(typeof body.message).toBe("string");
  return body;
}

describe("malformed requests get AWS-shaped errors", () => {
  it("a correctly signed request passes (the raw signer is sound)", async () => {
    const res = await signedFetch("GET", "/endpoint?endpointType=iot%3AData-ATS");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { endpointAddress: string }).endpointAddress).toContain("-ats.iot.");
  });

  it("bad JSON → 400 InvalidRequestException", async () => {
    const body = await expectAwsError(
      await signedFetch("POST", "/things/t1", "{not json"),
      400,
      "InvalidRequestException",
    );
    expect(body.message).toContain("json");
    await expectAwsError(await signedFetch("POST", "/things/t1", "[1,2]"), 400, "InvalidRequestException");
  });

  it("missing or mistyped members → 400 InvalidRequestException", async () => {
    const missing = await expectAwsError(
      await signedFetch("POST", "/certificate/register-no-ca", "{}"),
      400,
      "InvalidRequestException",
    );
    expect(missing.message).toContain("Value null at 'certificatePem'");
    await expectAwsError(
      await signedFetch("POST", "/certificate/register-no-ca", JSON.stringify({ certificatePem: 42 })),
      400,
      "InvalidRequestException",
    );
    await expectAwsError(await signedFetch("GET", "/things?maxResults=many"), 400, "InvalidRequestException");
    await expectAwsError(
      await signedFetch("PUT", `/certificates/${"a".repeat(64)}`),
      400,
      "InvalidRequestException",
    );
    await expectAwsError(await signedFetch("GET", "/things/%E0%A4%A"), 400, "InvalidRequestException");
  });

  it("unknown path or method → 404 UnknownOperationException", async () => {
    await expectAwsError(await signedFetch("GET", "/no/such/thing/here"), 404, "UnknownOperationException");
    await expectAwsError(await signedFetch("PATCH", "/things/t1"), 404, "UnknownOperationException");
  });

  it("no signature → 403 MissingAuthenticationTokenException", async () => {
    const res = await fetch(new URL("/things", twin.plane.url));
    const body = await expectAwsError(res, 403, "MissingAuthenticationTokenException");
    expect(body.message).toBe("Missing Authentication Token");
  });

  it("a garbled Authorization header → 403 IncompleteSignatureException", async () => {
    const res = await fetch(new URL("/things", twin.plane.url), {
      headers: { authorization: "AWS4-HMAC-SHA256 nonsense" },
    });
    await expectAwsError(res, 403, "IncompleteSignatureException");
  });

  it("a tampered body → 403 InvalidSignatureException", async () => {
    const identity = twin.registry.identities()[0];
    const url = new URL("/things/t1", twin.plane.url);
    const signer = new SignatureV4({
      service: "iot",
      region: identity?.region ?? "",
      sha256: NodeSha256,
      credentials: {
        accessKeyId: identity?.accessKeyId ?? "",
        secretAccessKey: identity?.secretAccessKey ?? "",
      },
    });
    const signed = await signer.sign({
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host },
      body: "{}",
    });
    const res = await fetch(url, { method: "POST", headers: signed.headers, body: '{"thingTypeName":"x"}' });
    await expectAwsError(res, 403, "InvalidSignatureException");
  });
});

describe("SigV4 through the SDK", () => {
  it("the wrong secret → 403 InvalidSignatureException; an unknown key → 403 UnrecognizedClientException", async () => {
    const wrongSecret = clientFor(twin.plane, twin.registry, 0, { secret: "not-the-secret" });
    const e = await failure(wrongSecret.send(new ListThingsCommand({})));
    expect(e.name).toBe("InvalidSignatureException");
    expect(e.$metadata.httpStatusCode).toBe(403);
    wrongSecret.destroy();
    const stranger = new IoTClient({
      endpoint: twin.plane.url,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "x" },
    });
    const u = await failure(stranger.send(new ListThingsCommand({})));
    expect(u.name).toBe("UnrecognizedClientException");
    expect(u.message).toBe("The security token included in the request is invalid.");
    stranger.destroy();
  });

  it("a credential scoped to another region → 403 InvalidSignatureException", async () => {
    const identity = twin.registry.identities()[0];
    const client = new IoTClient({
      endpoint: twin.plane.url,
      region: "eu-west-1",
      credentials: {
        accessKeyId: identity?.accessKeyId ?? "",
        secretAccessKey: identity?.secretAccessKey ?? "",
      },
    });
    const e = await failure(client.send(new ListThingsCommand({})));
    expect(e.name).toBe("InvalidSignatureException");
    expect(e.message).toContain("eu-west-1");
    client.destroy();
  });

  it("the access key picks the account", async () => {
    const [a, b] = twin.clients;
    const [ia, ib] = twin.registry.identities();
    expect(
      (await a?.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" })))?.endpointAddress,
    ).toContain(ia?.endpointPrefix);
    expect(
      (await b?.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" })))?.endpointAddress,
    ).toContain(ib?.endpointPrefix);
    expect(twin.plane.calls("DescribeEndpoint").map((c) => c.accountId)).toEqual([
      ia?.accountId,
      ib?.accountId,
    ]);
  });
});

describe("fault injection (aws-iot §6)", () => {
  it("throttled calls are retried by the SDK and eventually succeed", async () => {
    twin.plane.throttle({ times: 2, operation: "ListThings" });
    const a = twin.clients[0];
    const out = await a?.send(new ListThingsCommand({}));
    expect(out?.things).toEqual([]);
    expect(out?.$metadata.attempts).toBe(3);
    const calls = twin.plane.calls("ListThings");
    expect(calls.map((c) => c.status)).toEqual([400, 400, 200]);
    expect(calls[0]?.errorType).toBe("ThrottlingException");
  }, 20_000);

  it("throttling beyond the SDK's attempts surfaces ThrottlingException (400)", async () => {
    twin.plane.throttle();
    const client = clientFor(twin.plane, twin.registry, 0, { maxAttempts: 1 });
    const e = await failure(client.send(new ListThingsCommand({})));
    expect(e.name).toBe("ThrottlingException");
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.message).toBe("Rate exceeded");
    client.destroy();
  });

  it("5xx on a share of calls: 500 InternalFailureException / 503 ServiceUnavailableException, retried by the SDK", async () => {
    const client = clientFor(twin.plane, twin.registry, 0, { maxAttempts: 1 });
    twin.plane.failWithServerErrors({ share: 0.5 });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => client.send(new ListThingsCommand({}))));
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(2);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect((rejected?.reason as Error).name).toBe("InternalFailureException");
    twin.plane.clearFaults();
    twin.plane.failWithServerErrors({ status: 503, times: 1 });
    const e = await failure(client.send(new ListThingsCommand({})));
    expect(e.name).toBe("ServiceUnavailableException");
    expect(e.$metadata.httpStatusCode).toBe(503);
    twin.plane.failWithServerErrors({ status: 500, times: 1 });
    const retried = await twin.clients[0]?.send(new ListThingsCommand({}));
    expect(retried?.$metadata.attempts).toBe(2);
    client.destroy();
  });
});
