// What the data plane knows about one MQTT connection, from the TLS/WebSocket handshake to its end.
import type { Account, ThingRecord } from "../registry/types.ts";
import type { Authorizer } from "./authorizer.ts";

/** Who is connecting: an X.509 client certificate (mTLS) or an account access key (SigV4 WebSocket). */
export type Principal =
  | { kind: "certificate"; certificateId: string; certificateDer: Buffer }
  | { kind: "access-key"; accessKeyId: string };

/** Fixed when the transport is up, before the MQTT CONNECT arrives. */
export interface ConnectionContext {
  account: Account;
  principal: Principal;
  ipAddress: string;
  /** `mqtts`: MQTT straight on TLS; `wss`: MQTT over WebSocket. */
  transport: "mqtts" | "wss";
  /** The TLS SNI host name, if the client sent one. */
  sni: string | undefined;
  /** The negotiated ALPN protocol, if any (aws-iot §4.1). */
  alpn: string | undefined;
}

// aws-iot §4.6: the disconnectReason values of lifecycle events.
export type DisconnectReason =
  | "AUTH_ERROR"
  | "CLIENT_INITIATED_DISCONNECT"
  | "CLIENT_ERROR"
  | "CONNECTION_LOST"
  | "DUPLICATE_CLIENTID"
  | "FORBIDDEN_ACCESS"
  | "MQTT_KEEP_ALIVE_TIMEOUT"
  | "SERVER_ERROR"
  | "SERVER_INITIATED_DISCONNECT"
  | "API_INITIATED_DISCONNECT"
  | "THROTTLED";

/** A connection whose CONNECT was admitted. */
export interface Session {
  clientId: string;
  context: ConnectionContext;
  /** The thing named by the client id when the certificate is attached to it (aws-iot §4.3). */
  thing: ThingRecord | undefined;
  authorizer: Authorizer;
  sessionIdentifier: string;
  versionNumber: number;
  /** Every topic filter subscribed to, for the per-connection limit (aws-iot §4.7). */
  subscriptions: Set<string>;
  /** Wildcard-free subscriptions: the only ones that get retained messages (aws-iot §4.7). */
  exactSubscriptions: Set<string>;
  /** Set by whoever ends the session first; the lifecycle event reports it. */
  disconnectReason: DisconnectReason | undefined;
}

/** The principalIdentifier of lifecycle events: the certificateId for mTLS (aws-iot §4.6). */
export function principalIdentifier(principal: Principal): string {
  return principal.kind === "certificate" ? principal.certificateId : principal.accessKeyId;
}
