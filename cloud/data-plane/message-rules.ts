// The per-packet rules of an admitted session: PUBLISH, SUBSCRIBE and each delivery (aws-iot §4.4, §4.7).
// Each check throws a DataPlaneError; the broker turns it into a closed connection.
import { DataPlaneError } from "./errors.ts";
import type { Session } from "./session.ts";
import {
  checkPublish,
  checkSubscribe,
  hasWildcard,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
} from "./topic-rules.ts";

export interface PublishRequest {
  topic: string;
  payload: Buffer | string;
  qos: number;
  retain: boolean;
}

export function authorizePublish(session: Session, packet: PublishRequest): void {
  checkPublish(packet.topic, Buffer.byteLength(packet.payload), packet.qos, packet.retain);
  const resource = `topic/${packet.topic}`;
  const allowed =
    session.authorizer.decide("iot:Publish", resource) === "allow" &&
    (!packet.retain || session.authorizer.decide("iot:RetainPublish", resource) === "allow");
  if (!allowed)
    throw new DataPlaneError("PUBLISH_NOT_AUTHORIZED", `iot:Publish on ${resource} is not allowed`);
}

/** Checks a subscription and records it on the session. */
export function authorizeSubscribe(session: Session, filter: string, qos: number): void {
  checkSubscribe(filter, qos);
  const resource = `topicfilter/${filter}`;
  if (session.authorizer.decide("iot:Subscribe", resource) !== "allow") {
    // aws-iot §4.4: MQTT 3.1.1 — an unauthorised SUBSCRIBE drops the connection.
    throw new DataPlaneError("SUBSCRIBE_NOT_AUTHORIZED", `iot:Subscribe on ${resource} is not allowed`);
  }
  const { subscriptions } = session;
  if (!subscriptions.has(filter) && subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
    throw new DataPlaneError(
      "SUBSCRIPTION_LIMIT",
      `more than ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions`,
    );
  }
  subscriptions.add(filter);
  if (!hasWildcard(filter)) session.exactSubscriptions.add(filter);
}

export function forgetSubscription(session: Session, filter: string): void {
  session.subscriptions.delete(filter);
  session.exactSubscriptions.delete(filter);
}

/** Whether a message may be delivered to the session; `retain` is set only on replays at SUBSCRIBE. */
export function mayReceive(session: Session, topic: string, retain: boolean): boolean {
  // aws-iot §4.7: retained messages are replayed to exact-topic subscriptions only.
  if (retain && !session.exactSubscriptions.has(topic)) return false;
  try {
    // aws-iot §4.4: iot:Receive is checked on every delivery; a refusal silently skips the message.
    return session.authorizer.decide("iot:Receive", `topic/${topic}`) === "allow";
  } catch {
    return false;
  }
}
