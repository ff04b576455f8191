// The least-privilege device policy (aws-iot §4.5) for exactly the topics the firmware uses
// (firmware-shell §9.2, §9.3): client id = thing name, its own `<thing>/…` prefix, its shadow, jobs
// and defender topics, and the `$aws/things/+/…` filters it subscribes to (`+` is literal in a policy).
import type { PolicyScope } from "./types.ts";
import { POLICY_PREFIX } from "./run-id.ts";

/** Resolves only when client id = thing name and the certificate is attached to it (aws-iot §4.3). */
const THING = "${iot:Connection.Thing.ThingName}";
/** Equal to THING once Connect allowed the client, and half as long: the 2048-character limit (aws-iot §2.2). */
const CLIENT = "${iot:ClientId}";

interface Statement {
  Effect: "Allow";
  Action: string;
  Resource: string[];
  Condition?: Record<string, Record<string, string>>;
}

/** Topics and filters per action, with `thing` standing for the thing name (firmware-shell §9.2, §9.3). */
export function deviceTopics(thing: string): { publish: string[]; subscribe: string[]; receive: string[] } {
  const things = `$aws/things/${thing}`;
  return {
    publish: [
      `${thing}/*`,
      `${things}/shadow/update`,
      `${things}/defender/metrics/cbor`,
      `${things}/jobs/$next/get`,
      // The OTA agent reports job progress on jobs/<jobId>/update.
      `${things}/jobs/*/update`,
    ],
    subscribe: [
      `${thing}/*`,
      `$aws/things/+/defender/metrics/cbor/accepted`,
      `$aws/things/+/defender/metrics/cbor/rejected`,
      `${things}/shadow/update/delta`,
      `${things}/shadow/update/accepted`,
      `${things}/shadow/update/rejected`,
      `$aws/things/+/jobs/$next/get/#`,
      `$aws/things/+/jobs/notify-next`,
      `${things}/jobs/notify-next`,
    ],
    // Receive is checked per delivery, so the `+` subscriptions only ever deliver the thing's own topics.
    receive: [`${thing}/*`, `${things}/*`],
  };
}

/** The policy document for one account (aws-iot §4.5: each account gets its own copy in MAR). */
export function leastPrivilegePolicy(scope: Pick<PolicyScope, "region" | "accountId">): {
  Version: string;
  Statement: Statement[];
} {
  const arn = `arn:aws:iot:${scope.region}:${scope.accountId}`;
  const topics = deviceTopics(CLIENT);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "iot:Connect",
        Resource: [`${arn}:client/${THING}`],
        Condition: { Bool: { "iot:Connection.Thing.IsAttached": "true" } },
      },
      { Effect: "Allow", Action: "iot:Publish", Resource: topics.publish.map((t) => `${arn}:topic/${t}`) },
      {
        Effect: "Allow",
        Action: "iot:Subscribe",
        Resource: topics.subscribe.map((t) => `${arn}:topicfilter/${t}`),
      },
      { Effect: "Allow", Action: "iot:Receive", Resource: topics.receive.map((t) => `${arn}:topic/${t}`) },
    ],
  };
}

/** The name of the policy the harness creates for a thing (PolicyName has no `:`, aws-iot §2.2). */
export function defaultPolicyName(thingName: string): string {
  return `${POLICY_PREFIX}${thingName.replace(/:/g, ".")}`;
}

/** Documents compared without formatting, to recognise our own policy on a re-run. */
export function sameDocument(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}
