// Public surface of the IoT Core twin's data plane (aws-iot §4).
export { DataPlane, startDataPlane, type DataPlaneEvents, type DataPlaneOptions } from "./data-plane.ts";
export { DataPlaneError, PolicyDocumentError, type DataPlaneErrorCode } from "./errors.ts";
export type { ServerCredentials } from "./tls-listener.ts";
export type { DisconnectReason } from "./session.ts";
export { MAX_PAYLOAD_BYTES } from "./topic-rules.ts";
export { SIGV4_SERVICE } from "./sigv4-query.ts";
