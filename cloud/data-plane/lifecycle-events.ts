// Presence lifecycle events, published by the broker itself on `$aws/events/presence/…` (aws-iot §4.6).
import { principalIdentifier, type DisconnectReason, type Session } from "./session.ts";

export interface LifecycleMessage {
  topic: string;
  payload: Record<string, unknown>;
}

// aws-iot §4.3: client ids with MQTT wildcards get no lifecycle events (the topic would be invalid).
export const hasLifecycleEvents = (clientId: string): boolean => !/[#+]/.test(clientId) && clientId !== "";

export function connectedEvent(session: Session, timestamp: number): LifecycleMessage {
  return {
    topic: `$aws/events/presence/connected/${session.clientId}`,
    payload: {
      clientId: session.clientId,
      timestamp,
      eventType: "connected",
      sessionIdentifier: session.sessionIdentifier,
      principalIdentifier: principalIdentifier(session.context.principal),
      ipAddress: session.context.ipAddress,
      versionNumber: session.versionNumber,
    },
  };
}

export function disconnectedEvent(
  session: Session,
  timestamp: number,
  reason: DisconnectReason,
): LifecycleMessage {
  return {
    topic: `$aws/events/presence/disconnected/${session.clientId}`,
    payload: {
      clientId: session.clientId,
      timestamp,
      eventType: "disconnected",
      clientInitiatedDisconnect: reason === "CLIENT_INITIATED_DISCONNECT",
      sessionIdentifier: session.sessionIdentifier,
      principalIdentifier: principalIdentifier(session.context.principal),
      disconnectReason: reason,
      versionNumber: session.versionNumber,
    },
  };
}

/** `$aws/events/subscriptions/subscribed|unsubscribed/<clientId>` with the filters of one packet. */
export function subscriptionEvent(
  session: Session,
  timestamp: number,
  eventType: "subscribed" | "unsubscribed",
  topics: readonly string[],
): LifecycleMessage {
  return {
    topic: `$aws/events/subscriptions/${eventType}/${session.clientId}`,
    payload: {
      clientId: session.clientId,
      timestamp,
      eventType,
      sessionIdentifier: session.sessionIdentifier,
      principalIdentifier: principalIdentifier(session.context.principal),
      topics,
    },
  };
}

export function connectFailedEvent(
  failure: { clientId: string; principalIdentifier: string; sessionIdentifier: string; ipAddress: string },
  timestamp: number,
): LifecycleMessage {
  return {
    topic: `$aws/events/presence/connect_failed/${failure.clientId}`,
    payload: {
      clientId: failure.clientId,
      timestamp,
      eventType: "connect_failed",
      connectFailureReason: "AUTHORIZATION_FAILED",
      principalIdentifier: failure.principalIdentifier,
      sessionIdentifier: failure.sessionIdentifier,
      ipAddress: failure.ipAddress,
    },
  };
}

/** versionNumber: shared by a session's connect and disconnect, increasing per client id (aws-iot §4.6). */
export class VersionNumbers {
  private readonly last = new Map<string, number>();

  next(clientId: string): number {
    const n = (this.last.get(clientId) ?? 0) + 1;
    this.last.set(clientId, n);
    return n;
  }
}
