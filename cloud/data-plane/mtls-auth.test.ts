// aws-iot §1.2, §4.2: MAR authentication by SNI and certificate registry, with real mqtt.js clients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextEvent } from "./test-support/deadline.ts";
import { attemptConnect, connect, end } from "./test-support/mqtt-probe.ts";
import { deviceIdentity } from "./test-support/test-pki.ts";
import { TwinFixture } from "./test-support/twin-fixture.ts";

let twin: TwinFixture;
beforeAll(async () => {
  twin = await TwinFixture.start();
});
afterAll(() => twin?.[Symbol.asyncDispose]());

const refusal = (code: string) =>
  nextEvent<[{ code: string }]>(twin.plane, "refused", (r) => r.code === code, `refusal ${code}`);

describe("MAR mTLS authentication (aws-iot §1.2, §4.2)", () => {
  it("connects one certificate registered in two accounts to each by SNI", async () => {
    const identity = deviceIdentity("eval3-mar-both");
    twin.provision(twin.a, "eval3-mar-both", { identity });
    twin.provision(twin.b, "eval3-mar-both", { identity });
    const inA = await connect(twin.probe(twin.a, { identity }, "eval3-mar-both"));
    const inB = await connect(twin.probe(twin.b, { identity }, "eval3-mar-both"));
    // Same client id in two accounts: no takeover, accounts are separate brokers.
    expect(await twin.plane.clientIds(twin.a.accountId)).toContain("eval3-mar-both");
    expect(await twin.plane.clientIds(twin.b.accountId)).toContain("eval3-mar-both");
    expect(inA.connected && inB.connected).toBe(true);
    await end(inA, inB);
  });

  it("refuses the certificate in an account where it is not registered: TLS completes, no CONNACK", async () => {
    const device = twin.provision(twin.a, "eval3-only-a");
    const refused = refusal("CERT_NOT_REGISTERED");
    const outcome = await attemptConnect(twin.probe(twin.b, device, "eval3-only-a"));
    expect(outcome).toMatchObject({
      kind: "closed-without-connack",
      tlsHandshakeCompleted: true,
      packetsReceived: [],
    });
    await refused;
  });

  it("refuses an SNI_ONLY certificate without SNI, and accepts a DEFAULT-mode one", async () => {
    const mar = twin.provision(twin.a, "eval3-no-sni");
    const refused = refusal("SNI_REQUIRED");
    const outcome = await attemptConnect(twin.probe(undefined, mar, "eval3-no-sni"));
    expect(outcome).toMatchObject({
      kind: "closed-without-connack",
      tlsHandshakeCompleted: true,
      packetsReceived: [],
    });
    await refused;

    const legacy = twin.provision(twin.a, "eval3-default-mode", { mode: "DEFAULT" });
    const client = await connect(twin.probe(undefined, legacy, "eval3-default-mode"));
    expect(await twin.plane.clientIds(twin.a.accountId)).toContain("eval3-default-mode");
    await end(client);
  });

  for (const status of ["INACTIVE", "REVOKED", "PENDING_ACTIVATION"] as const) {
    it(`refuses a ${status} certificate after a completed handshake, without CONNACK`, async () => {
      const device = twin.provision(twin.a, `eval3-${status.toLowerCase()}`, { status });
      const refused = refusal("CERT_NOT_ACTIVE");
      const outcome = await attemptConnect(twin.probe(twin.a, device, device.thingName));
      expect(outcome).toMatchObject({
        kind: "closed-without-connack",
        tlsHandshakeCompleted: true,
        packetsReceived: [],
      });
      await refused;
    });
  }

  it("refuses an unknown certificate and a client without one the same way", async () => {
    const stranger = { identity: deviceIdentity("eval3-stranger") };
    let refused = refusal("CERT_NOT_REGISTERED");
    expect(await attemptConnect(twin.probe(twin.a, stranger, "eval3-stranger"))).toMatchObject({
      kind: "closed-without-connack",
      tlsHandshakeCompleted: true,
    });
    await refused;
    refused = refusal("NO_CLIENT_CERTIFICATE");
    const anonymous = { ...twin.probe(twin.a, stranger, "anonymous"), identity: undefined };
    expect(await attemptConnect(anonymous)).toMatchObject({
      kind: "closed-without-connack",
      tlsHandshakeCompleted: true,
    });
    await refused;
  });

  it("refuses an SNI that is no account's endpoint after the handshake (regional wildcard certificate)", async () => {
    const device = twin.provision(twin.a, "eval3-unknown-sni");
    const refused = refusal("UNKNOWN_ENDPOINT");
    const probe = {
      ...twin.probe(twin.a, device, "eval3-unknown-sni"),
      servername: "nobody-ats.iot.eu-west-1.amazonaws.com",
    };
    expect(await attemptConnect(probe)).toMatchObject({
      kind: "closed-without-connack",
      tlsHandshakeCompleted: true,
      packetsReceived: [],
    });
    await refused;
  });

  it("accepts ALPN x-amzn-mqtt-ca (port 443 style) and serves a certificate for the endpoint", async () => {
    const device = twin.provision(twin.b, "eval3-alpn");
    const client = await connect({ ...twin.probe(twin.b, device, "eval3-alpn"), alpn: ["x-amzn-mqtt-ca"] });
    const socket = client.stream as import("node:tls").TLSSocket;
    expect(socket.alpnProtocol).toBe("x-amzn-mqtt-ca");
    expect(socket.getProtocol()).toMatch(/^TLSv1\.[23]$/);
    expect(socket.getPeerCertificate().subjectaltname).toBe(`DNS:${twin.b.dataEndpoint}`);
    await end(client);
  });

  it("fails the handshake of a client that trusts another CA (server authentication is real)", async () => {
    const device = twin.provision(twin.a, "eval3-wrong-ca");
    const otherCa = new (await import("./test-support/test-pki.ts")).TestPki().caPem;
    const outcome = await attemptConnect({ ...twin.probe(twin.a, device, "eval3-wrong-ca"), caPem: otherCa });
    expect(outcome).toMatchObject({ kind: "closed-without-connack", tlsHandshakeCompleted: false });
    expect(outcome.kind === "closed-without-connack" && outcome.error).toMatch(/certificate/i);
  });
});
