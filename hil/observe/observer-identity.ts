// The observer's own mTLS identity (aws-iot §8 option B): a fresh certificate registered without its
// CA like a MAR device, a thing of its own (so the janitor finds it by run id), and a policy that
// lets it connect as that thing and subscribe to the watched devices and their presence events only.
import { randomBytes } from "node:crypto";
import type { IoTClient } from "@aws-sdk/client-iot";
import { cleanupRegistration, registerDevice, type PolicyScope, type Registration } from "../aws/index.ts";
import { OBSERVER_CLIENT_PREFIX } from "./observer.ts";
import { selfSignedIdentity } from "./self-signed-identity.ts";
import type { ObserverTransport } from "./types.ts";

/** Connect as itself; subscribe to and receive `<thing>/…`, `$aws/things/<thing>/…` and presence of `<thing>`. */
export function observerPolicy(scope: PolicyScope, watched: readonly string[]): unknown {
  const arn = `arn:aws:iot:${scope.region}:${scope.accountId}`;
  const topics = watched.flatMap((t) => [`${t}/*`, `$aws/things/${t}/*`, `$aws/events/presence/*/${t}`]);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "iot:Connect",
        Resource: [`${arn}:client/\${iot:Connection.Thing.ThingName}`],
        Condition: { Bool: { "iot:Connection.Thing.IsAttached": "true" } },
      },
      { Effect: "Allow", Action: "iot:Subscribe", Resource: topics.map((t) => `${arn}:topicfilter/${t}`) },
      { Effect: "Allow", Action: "iot:Receive", Resource: topics.map((t) => `${arn}:topic/${t}`) },
    ],
  };
}

export class ObserverIdentity implements AsyncDisposable {
  private constructor(
    private readonly iot: IoTClient,
    readonly registration: Registration,
    /** Pass as `transport` to MqttObserver.connect. */
    readonly transport: ObserverTransport,
  ) {}

  /** The client id the policy allows: the observer's own thing name. */
  get clientId(): string {
    return this.registration.thingName;
  }

  /** Creates and registers an identity that may watch `watched` thing names in the account of `iot`. */
  static async register(
    iot: IoTClient,
    options: { runId: string; watched: readonly string[]; now?: () => number },
  ): Promise<ObserverIdentity> {
    const thingName = `${OBSERVER_CLIENT_PREFIX}${randomBytes(6).toString("hex")}`;
    const key = selfSignedIdentity(thingName, options.now);
    const registration = await registerDevice(
      iot,
      { thingName, certificatePem: key.certificatePem },
      {
        runId: options.runId,
        policy: {
          kind: "document",
          policyName: thingName,
          document: (scope) => observerPolicy(scope, options.watched),
        },
        ...(options.now ? { now: options.now } : {}),
      },
    );
    return new ObserverIdentity(iot, registration, {
      kind: "mtls",
      certificatePem: key.certificatePem,
      keyPem: key.keyPem,
    });
  }

  /** Removes certificate, thing and policy (hil/aws cleanup order). */
  async [Symbol.asyncDispose](): Promise<void> {
    await cleanupRegistration(this.iot, this.registration);
  }
}
