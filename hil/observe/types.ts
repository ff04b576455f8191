// The contracts of hil/observe, free of dependencies: where the data plane is, how the observer
// authenticates, what it saw, and how long a wait may take (style rule 7).

/** Whose fault a failure is; only the CLI turns it into an exit code (style rule 6). */
export type Fault = "device" | "harness" | "cloud" | "user";

/** Where and how to reach one account's data plane (aws-iot §1.2, §4.1). */
export interface DataTarget {
  /** The `iot:Data-ATS` endpoint: TLS SNI, the name the server certificate is checked against, SigV4 host. */
  endpoint: string;
  /** Where the TCP connection goes: MAR_HIL_MQTT_CONNECT when set, else the endpoint itself. */
  host: string;
  /** Port override from MAR_HIL_MQTT_CONNECT; otherwise 443 (WebSocket) or 8883 (mTLS). */
  port?: number;
  region: string;
  /** PEM trust anchors; absent = Node's store, which holds the Amazon roots (aws-iot §5). */
  ca?: string;
}

/** SigV4 credentials for MQTT over WebSocket (aws-iot §8 option A). */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** How the observer authenticates: never with the device's identity or client id. */
export type ObserverTransport =
  | { kind: "websocket"; credentials: () => Promise<SigningCredentials> }
  | { kind: "mtls"; certificatePem: string; keyPem: string };

export interface ObservedMessage {
  /** Order of arrival, for cursors (`mark()`). */
  seq: number;
  topic: string;
  payload: Buffer;
  /** Epoch ms when the observer received it. */
  receivedAt: number;
}

/** A presence lifecycle event (aws-iot §4.6). */
export interface LifecycleEvent {
  eventType: "connected" | "disconnected" | "connect_failed";
  clientId: string;
  timestamp?: number;
  disconnectReason?: string;
  clientInitiatedDisconnect?: boolean;
  connectFailureReason?: string;
  principalIdentifier?: string;
  [field: string]: unknown;
}

/** Every wait has a deadline and may be cancelled (style rule 7). */
export interface WaitOptions {
  /** Deadline in ms from the call. */
  within: number;
  signal?: AbortSignal;
  /** Only what arrived after this cursor (`observer.mark()`); default: everything since the watch began. */
  since?: number;
}
