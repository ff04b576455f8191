// The twin as a whole: the cloud object, persistence across a restart, per-instance state, and
// server certificates a real TLS client accepts for the endpoint host (aws-iot §5).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createSecureContext, createServer, type Server } from "node:tls";
import type { AddressInfo } from "node:net";
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DescribeCertificateCommand,
  DescribeEndpointCommand,
  DescribeThingCommand,
  IoTClient,
  ListAttachedPoliciesCommand,
  ListPrincipalThingsCommand,
  RegisterCertificateWithoutCACommand,
} from "@aws-sdk/client-iot";
import { afterEach, describe, expect, it } from "vitest";
import { deviceCertificate } from "./control-plane/test-kit.ts";
import { CloudTwin, MQTT_CONNECT_ENV, type CloudAccountDescription } from "./index.ts";

const dirs: string[] = [];
const twins: CloudTwin[] = [];
afterEach(async () => {
  for (const t of twins.splice(0)) await t.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempState = () => {
  const d = mkdtempSync(join(tmpdir(), "mar-hil-twin-"));
  dirs.push(d);
  return d;
};
const start = async (stateDir: string, accounts?: number) => {
  const twin = await CloudTwin.start({ stateDir, accounts });
  twins.push(twin);
  return twin;
};
/** A client configured only from the `env` object, as a harness on real AWS would be. */
const clientFromEnv = (a: CloudAccountDescription) =>
  new IoTClient({
    endpoint: a.env.AWS_ENDPOINT_URL_IOT,
    region: a.env.AWS_REGION,
    credentials: {
      accessKeyId: a.env.AWS_ACCESS_KEY_ID ?? "",
      secretAccessKey: a.env.AWS_SECRET_ACCESS_KEY ?? "",
    },
  });

describe("CloudTwin", () => {
  it("describes two accounts with distinct ids, endpoints and keys, and a CA file", async () => {
    const twin = await start(tempState());
    const d = twin.describe();
    expect(d.event).toBe("cloud");
    expect(readFileSync(d.caFile, "utf8")).toContain("BEGIN CERTIFICATE");
    expect(d.accounts).toHaveLength(2);
    const [a, b] = d.accounts as [CloudAccountDescription, CloudAccountDescription];
    expect(a.accountId).toMatch(/^\d{12}$/);
    expect(a.accountId).not.toBe(b.accountId);
    expect(a.endpoint).toMatch(/^[a-z0-9]{14}-ats\.iot\.us-east-1\.amazonaws\.com$/);
    expect(a.endpoint).not.toBe(b.endpoint);
    expect(a.accessKeyId).not.toBe(b.accessKeyId);
    expect(a.controlPlaneUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.dataHost).toBe("127.0.0.1");
    expect(a.env).toMatchObject({
      AWS_ACCESS_KEY_ID: a.accessKeyId,
      AWS_SECRET_ACCESS_KEY: a.secretAccessKey,
      AWS_REGION: a.region,
      AWS_ENDPOINT_URL_IOT: a.controlPlaneUrl,
    });
    const client = clientFromEnv(a);
    const ep = await client.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }));
    expect(ep.endpointAddress).toBe(a.endpoint);
    client.destroy();
    // Both planes: one data port for every account, announced through MAR_HIL_MQTT_CONNECT.
    expect(a.dataPort).toBeGreaterThan(0);
    expect(b.dataPort).toBe(a.dataPort);
    expect(a.env[MQTT_CONNECT_ENV]).toBe(`127.0.0.1:${a.dataPort}`);
  });

  it("serves the data plane with a server certificate for each endpoint, chaining to caFile", async () => {
    const twin = await start(tempState());
    const { caFile, accounts } = twin.describe();
    for (const account of accounts) {
      const [host = "", port = ""] = (account.env[MQTT_CONNECT_ENV] ?? "").split(":");
      const san = await new Promise<string>((resolve, reject) => {
        const socket = connect(
          { host, port: Number(port), servername: account.endpoint, ca: readFileSync(caFile) },
          () => {
            resolve(socket.getPeerCertificate().subjectaltname ?? "");
            socket.destroy();
          },
        );
        socket.on("error", reject);
      });
      expect(san).toBe(`DNS:${account.endpoint}`);
    }
  });

  it("its env object alone configures an unmodified `new IoTClient({})`", async () => {
    const twin = await start(tempState());
    const [, b] = twin.describe().accounts as [CloudAccountDescription, CloudAccountDescription];
    const saved = { ...process.env };
    try {
      Object.assign(process.env, b.env);
      const client = new IoTClient({});
      const out = await client.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }));
      expect(out.endpointAddress).toBe(b.endpoint);
      client.destroy();
    } finally {
      for (const key of Object.keys(b.env)) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it("can run the control plane alone", async () => {
    const state = tempState();
    const twin = await CloudTwin.start({ stateDir: state, startDataPlane: false });
    twins.push(twin);
    const [a] = twin.describe().accounts;
    expect(a?.dataPort).toBeUndefined();
    expect(a?.env[MQTT_CONNECT_ENV]).toBeUndefined();
  });

  it("keeps accounts, keys, endpoints, CA and every resource across a restart with the same state dir", async () => {
    const state = tempState();
    const first = await start(state);
    const before = first.describe();
    const [a] = before.accounts as [CloudAccountDescription];
    const client = clientFromEnv(a);
    const { pem } = deviceCertificate();
    const cert = await client.send(
      new RegisterCertificateWithoutCACommand({ certificatePem: pem, status: "ACTIVE" }),
    );
    await client.send(
      new CreateThingCommand({ thingName: "eval3-1", attributePayload: { attributes: { run: "r" } } }),
    );
    await client.send(
      new AttachThingPrincipalCommand({ thingName: "eval3-1", principal: cert.certificateArn }),
    );
    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: { Effect: "Allow", Action: "iot:Connect", Resource: "*" },
    });
    await client.send(new CreatePolicyCommand({ policyName: "p", policyDocument: doc }));
    await client.send(new AttachPolicyCommand({ policyName: "p", target: cert.certificateArn }));
    client.destroy();
    await first.close();
    twins.splice(twins.indexOf(first), 1);

    const second = await start(state);
    const after = second.describe();
    expect(readFileSync(after.caFile, "utf8")).toBe(second.ca.certificatePem);
    expect(second.ca.certificatePem).toBe(first.ca.certificatePem);
    const strip = (d: typeof before) =>
      d.accounts.map(({ controlPlaneUrl: _u, dataPort: _p, env: _e, ...rest }) => rest);
    expect(strip(after)).toEqual(strip(before));
    const again = clientFromEnv(after.accounts[0] as CloudAccountDescription);
    const described = await again.send(new DescribeCertificateCommand({ certificateId: cert.certificateId }));
    expect(described.certificateDescription?.status).toBe("ACTIVE");
    expect((await again.send(new DescribeThingCommand({ thingName: "eval3-1" }))).attributes).toEqual({
      run: "r",
    });
    expect(
      (await again.send(new ListPrincipalThingsCommand({ principal: cert.certificateArn }))).things,
    ).toEqual(["eval3-1"]);
    const policies = await again.send(new ListAttachedPoliciesCommand({ target: cert.certificateArn }));
    expect(policies.policies?.map((p) => p.policyName)).toEqual(["p"]);
    again.destroy();
  });

  it("adds accounts when asked for more, keeping the existing ones", async () => {
    const state = tempState();
    const one = await start(state, 1);
    const [only] = one.describe().accounts;
    await one.close();
    twins.splice(twins.indexOf(one), 1);
    const three = await start(state, 3);
    const accounts = three.describe().accounts;
    expect(accounts).toHaveLength(3);
    expect(accounts[0]?.accountId).toBe(only?.accountId);
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(3);
  });

  it("runs two twins in one process without sharing anything", async () => {
    const x = await start(tempState());
    const y = await start(tempState());
    const [ax] = x.describe().accounts as [CloudAccountDescription];
    const [ay] = y.describe().accounts as [CloudAccountDescription];
    expect(ax.accountId).not.toBe(ay.accountId);
    expect(ax.controlPlaneUrl).not.toBe(ay.controlPlaneUrl);
    const cx = clientFromEnv(ax);
    await cx.send(new CreateThingCommand({ thingName: "only-in-x" }));
    cx.destroy();
    const accountX = x.registry.account(ax.accountId);
    expect(accountX.describeThing("only-in-x").thingName).toBe("only-in-x");
    expect(() => y.registry.account(ay.accountId).describeThing("only-in-x")).toThrow(/cannot be found/);
    // The other twin's key is unknown here, as another AWS partition's would be.
    const stranger = new IoTClient({
      endpoint: ay.controlPlaneUrl,
      region: ax.region,
      credentials: { accessKeyId: ax.accessKeyId, secretAccessKey: ax.secretAccessKey },
    });
    await expect(stranger.send(new CreateThingCommand({ thingName: "t" }))).rejects.toMatchObject({
      name: "UnrecognizedClientException",
    });
    stranger.destroy();
  });
});

describe("issueServerCertificate", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it("gives each endpoint a certificate a TLS client verifies against the twin's CA with SNI", async () => {
    const twin = await start(tempState());
    const [a, b] = twin.describe().accounts as [CloudAccountDescription, CloudAccountDescription];
    const context = (host: string) => {
      const { key, chain } = twin.issueServerCertificate(host);
      return createSecureContext({ key, cert: chain });
    };
    server = createServer({ SNICallback: (servername, cb) => cb(null, context(servername)) });
    server.on("secureConnection", (s) => s.end("hello"));
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const ca = readFileSync(twin.describe().caFile);
    const handshake = (servername: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port, servername, ca }, () => {
          resolve(socket.getPeerCertificate().subjectaltname ?? "");
          socket.end();
        });
        socket.on("error", reject);
      });
    expect(await handshake(a.endpoint)).toBe(`DNS:${a.endpoint}`);
    expect(twin.issueServerCertificate(a.endpoint)).toBe(
      twin.issueServerCertificate(a.endpoint.toUpperCase()),
    );
    // A client that does not trust the twin's CA refuses the handshake, like a board with the wrong root CA.
    await expect(
      new Promise((resolve, reject) => {
        const s = connect({ host: "127.0.0.1", port, servername: b.endpoint }, () => resolve(s));
        s.on("error", reject);
      }),
    ).rejects.toThrow(/self.signed|unable to verify|unable to get local issuer/i);
  });
});
