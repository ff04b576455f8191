// Errors of the data plane. `code` is stable (tests and reports match on it); `fault` says whose it is.

export type DataPlaneErrorCode =
  | "NO_CLIENT_CERTIFICATE"
  | "UNKNOWN_ENDPOINT"
  | "SNI_REQUIRED"
  | "CERT_NOT_REGISTERED"
  | "CERT_NOT_ACTIVE"
  | "CONNECT_NOT_AUTHORIZED"
  | "CLIENT_ID_INVALID"
  | "PUBLISH_NOT_AUTHORIZED"
  | "SUBSCRIBE_NOT_AUTHORIZED"
  | "PAYLOAD_TOO_LARGE"
  | "QOS2_NOT_SUPPORTED"
  | "TOPIC_INVALID"
  | "TOPIC_RESERVED"
  | "SUBSCRIPTION_LIMIT"
  | "SIGV4_INVALID"
  | "INTERNAL_ERROR";

/** A client was refused; the broker closes its connection (MQTT 3.1.1 has no reason code to send). */
export class DataPlaneError extends Error {
  readonly fault: "device" | "cloud";

  constructor(
    readonly code: DataPlaneErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DataPlaneError";
    this.fault = code === "INTERNAL_ERROR" ? "cloud" : "device";
  }
}

/** Any failure inside a broker hook becomes a refusal of that one client, never a crash of the twin. */
export function asDataPlaneError(e: unknown): DataPlaneError {
  if (e instanceof DataPlaneError) return e;
  return new DataPlaneError("INTERNAL_ERROR", e instanceof Error ? e.message : String(e));
}

// Re-exported for the data plane's public surface; the class lives with the policy grammar.
export { PolicyDocumentError } from "../policy/document-error.ts";
