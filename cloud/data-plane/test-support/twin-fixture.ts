// Test fixture: two accounts in a MemoryRegistry, a test PKI and a running data plane, plus the MAR
// provisioning steps (register certificate, create thing, attach, least-privilege policy).
import type {
  Account,
  CertificateMode,
  CertificateRecord,
  CertificateStatus,
  ThingRecord,
} from "../../registry/types.ts";
import { startDataPlane, type DataPlane } from "../data-plane.ts";
import { MemoryRegistry } from "./memory-registry.ts";
import { deviceIdentity, TestPki, type DeviceIdentity } from "./test-pki.ts";
import type { ProbeOptions } from "./mqtt-probe.ts";

/** aws-iot §4.5: the recommended least-privilege device policy, for `account`. */
export function leastPrivilegePolicy(account: Account): unknown {
  const arn = `arn:aws:iot:${account.region}:${account.accountId}`;
  const thing = "${iot:Connection.Thing.ThingName}";
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "iot:Connect",
        Resource: `${arn}:client/${thing}`,
        Condition: { Bool: { "iot:Connection.Thing.IsAttached": "true" } },
      },
      { Effect: "Allow", Action: "iot:Publish", Resource: `${arn}:topic/${thing}/*` },
      { Effect: "Allow", Action: "iot:Subscribe", Resource: `${arn}:topicfilter/${thing}/*` },
      { Effect: "Allow", Action: "iot:Receive", Resource: `${arn}:topic/${thing}/*` },
    ],
  };
}

/** Connect as `watcher-*`, subscribe to and receive lifecycle events (aws-iot §4.6, §8). */
export function observerPolicy(account: Account): unknown {
  const arn = `arn:aws:iot:${account.region}:${account.accountId}`;
  return {
    Statement: [
      { Effect: "Allow", Action: "iot:Connect", Resource: `${arn}:client/watcher-*` },
      { Effect: "Allow", Action: "iot:Subscribe", Resource: `${arn}:topicfilter/$aws/events/*` },
      { Effect: "Allow", Action: "iot:Receive", Resource: `${arn}:topic/$aws/events/*` },
    ],
  };
}

export interface Device {
  identity: DeviceIdentity;
  thingName: string;
  certificate: CertificateRecord;
  thing: ThingRecord;
}

export class TwinFixture implements AsyncDisposable {
  readonly registry = new MemoryRegistry();
  readonly pki = new TestPki();
  readonly a: Account;
  readonly b: Account;
  plane!: DataPlane;
  private policies = 0;

  constructor() {
    this.a = this.registry.addAccount("111122223333", "eu-west-1", "a1aaaaaaaaaaaa");
    this.b = this.registry.addAccount("444455556666", "us-east-1", "b2bbbbbbbbbbbb");
    for (const [account, id] of [
      [this.a, "AKIATWINAAAAAAAAAAAA"],
      [this.b, "AKIATWINBBBBBBBBBBBB"],
    ] as const) {
      this.registry.addAccessKey({
        accountId: account.accountId,
        accessKeyId: id,
        secretAccessKey: `secret-${id}`,
      });
    }
  }

  static async start(): Promise<TwinFixture> {
    const twin = new TwinFixture();
    twin.plane = await startDataPlane({
      registry: twin.registry,
      serverCredentials: twin.pki.serverCredentials,
    });
    return twin;
  }

  /** MAR onboarding in `account`: register the certificate, create and attach the thing, attach `policy`. */
  provision(
    account: Account,
    thingName: string,
    opts: {
      identity?: DeviceIdentity;
      status?: CertificateStatus;
      mode?: CertificateMode;
      policy?: unknown;
    } = {},
  ): Device {
    const identity = opts.identity ?? deviceIdentity(thingName);
    const certificate = this.registry.registerCertificate(
      account,
      identity,
      opts.status ?? "ACTIVE",
      opts.mode,
    );
    const thing = this.registry.createThing(account, thingName);
    this.registry.attachThing(thing, certificate.certificateArn);
    const policy = this.registry.createPolicy(
      account,
      `policy-${++this.policies}`,
      opts.policy ?? leastPrivilegePolicy(account),
    );
    this.registry.attachPolicy(policy, certificate.certificateArn);
    return { identity, thingName, certificate, thing };
  }

  /** mqtt.js options for `device` connecting to `account` by SNI. */
  probe(account: Account | undefined, device: { identity: DeviceIdentity }, clientId: string): ProbeOptions {
    return {
      port: this.plane.port,
      caPem: this.pki.caPem,
      identity: device.identity,
      servername: account?.dataEndpoint,
      clientId,
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.plane.close();
  }
}
