// Bad input never crashes the data plane (design: reliability): garbage before and after TLS, HTTP
// without upgrade, random bytes where MQTT is expected, and a registry that fails.
import { connect as tcpConnect } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDataPlane } from "./data-plane.ts";
import { nextEvent, withDeadline } from "./test-support/deadline.ts";
import { MemoryRegistry } from "./test-support/memory-registry.ts";
import { attemptConnect, connect, end } from "./test-support/mqtt-probe.ts";
import { deviceIdentity, TestPki } from "./test-support/test-pki.ts";
import { TwinFixture, type Device } from "./test-support/twin-fixture.ts";

let twin: TwinFixture;
let device: Device;
beforeAll(async () => {
  twin = await TwinFixture.start();
  device = twin.provision(twin.a, "eval3-robust");
});
afterAll(() => twin?.[Symbol.asyncDispose]());

function tls(): Promise<TLSSocket> {
  return withDeadline(
    new Promise((resolve, reject) => {
      const socket = tlsConnect({
        host: "127.0.0.1",
        port: twin.plane.port,
        servername: twin.a.dataEndpoint,
        ca: twin.pki.caPem,
        key: device.identity.keyPem,
        cert: device.identity.certificatePem,
      });
      socket.once("secureConnect", () => resolve(socket));
      socket.once("error", reject);
    }),
    "TLS handshake",
  );
}

/** Sends `bytes`, half-closes, and resolves with what came back once the server has closed too. */
function exchange(socket: TLSSocket | ReturnType<typeof tcpConnect>, bytes: Buffer): Promise<string> {
  let answer = "";
  socket.on("data", (d: Buffer) => (answer += d.toString("latin1")));
  socket.on("error", () => {});
  const done = nextEvent(socket, "close", () => true, "the server to close");
  socket.end(bytes);
  return done.then(() => answer);
}

const stillServes = async (): Promise<unknown> =>
  end(await connect(twin.probe(twin.a, device, "eval3-robust")));

describe("bad input (design: reliability)", () => {
  it("drops plain TCP garbage and keeps serving", async () => {
    const socket = tcpConnect(twin.plane.port, "127.0.0.1");
    await nextEvent(socket, "connect");
    await exchange(socket, Buffer.from("\x16\x03\x01garbage that is not a ClientHello"));
    await stillServes();
  });

  it("answers HTTP without an upgrade with 426", async () => {
    const answer = await exchange(
      await tls(),
      Buffer.from(`GET /mqtt HTTP/1.1\r\nHost: ${twin.a.dataEndpoint}\r\n\r\n`),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 426 /);
    await stillServes();
  });

  it("closes connections that send random bytes instead of MQTT, and keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        await exchange(await tls(), Buffer.from(bytes));
      }),
      { numRuns: 40 },
    );
    await stillServes();
  });

  it("refuses a client as SERVER_ERROR when the registry fails, without crashing", async () => {
    const registry = new (class extends MemoryRegistry {
      override policiesOf(): never {
        throw new Error("registry unavailable");
      }
    })();
    const account = registry.addAccount("777788889999", "eu-central-1", "c3cccccccccccc");
    const pki = new TestPki();
    const plane = await startDataPlane({ registry, serverCredentials: pki.serverCredentials });
    try {
      const identity = deviceIdentity("eval3-broken");
      registry.registerCertificate(account, identity);
      const refused = nextEvent<[{ code: string }]>(plane, "refused", (r) => r.code === "INTERNAL_ERROR");
      const outcome = await attemptConnect({
        port: plane.port,
        caPem: pki.caPem,
        identity,
        servername: account.dataEndpoint,
        clientId: "eval3-broken",
      });
      expect(outcome).toMatchObject({ kind: "closed-without-connack", tlsHandshakeCompleted: true });
      await refused;
    } finally {
      await plane.close();
    }
  });
});
