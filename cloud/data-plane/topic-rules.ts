// MQTT limits and reserved topics of IoT Core (aws-iot §4.3, §4.7).
import { DataPlaneError } from "./errors.ts";

export const MAX_PAYLOAD_BYTES = 128 * 1024;
export const MAX_CLIENT_ID_BYTES = 128;
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 50;
const MAX_TOPIC_BYTES = 256;
const MAX_SLASHES = 7;
// Basic Ingest prefixes do not count towards the level limit.
const BASIC_INGEST = /^\$aws\/rules\/[^/]+\//;

function checkShape(topic: string, what: string): void {
  if (Buffer.byteLength(topic, "utf8") > MAX_TOPIC_BYTES) {
    throw new DataPlaneError("TOPIC_INVALID", `${what} longer than ${MAX_TOPIC_BYTES} bytes`);
  }
  const slashes = topic.replace(BASIC_INGEST, "").split("/").length - 1;
  if (slashes > MAX_SLASHES) throw new DataPlaneError("TOPIC_INVALID", `${what} has more than 8 levels`);
}

// Topics starting with `$` are reserved; only the documented `$aws/…` ones exist.
const isReserved = (topic: string): boolean => topic.startsWith("$") && !topic.startsWith("$aws/");

export function checkPublish(topic: string, payloadBytes: number, qos: number, retain: boolean): void {
  // aws-iot §4.7: QoS 2 is not supported; the broker does not acknowledge it, the connection ends.
  if (qos === 2) throw new DataPlaneError("QOS2_NOT_SUPPORTED", "QoS 2 is not supported");
  if (payloadBytes > MAX_PAYLOAD_BYTES) {
    throw new DataPlaneError("PAYLOAD_TOO_LARGE", `payload of ${payloadBytes} bytes exceeds 128 KB`);
  }
  checkShape(topic, "topic");
  // Presence events are the broker's own; retained messages cannot go to reserved topics.
  if (isReserved(topic) || topic.startsWith("$aws/events/") || (retain && topic.startsWith("$"))) {
    throw new DataPlaneError("TOPIC_RESERVED", `topic ${topic} is reserved`);
  }
}

export function checkSubscribe(filter: string, qos: number): void {
  if (qos === 2) throw new DataPlaneError("QOS2_NOT_SUPPORTED", "QoS 2 is not supported");
  checkShape(filter, "topic filter");
  if (isReserved(filter)) throw new DataPlaneError("TOPIC_RESERVED", `topic filter ${filter} is reserved`);
}

export const hasWildcard = (filter: string): boolean => /[#+]/.test(filter);

/** aws-iot §4.7: 0 or more than 1200 s counts as 1200 s, 1–29 s as 30 s. */
export function clampKeepAlive(seconds: number): number {
  if (seconds === 0 || seconds > 1200) return 1200;
  return Math.max(seconds, 30);
}
