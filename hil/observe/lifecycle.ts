// Presence lifecycle events as AWS IoT publishes them (aws-iot §4.6):
// `$aws/events/presence/connected|disconnected|connect_failed/<clientId>`, JSON payloads.
import { parsePayload } from "./shape.ts";
import type { LifecycleEvent, ObservedMessage } from "./types.ts";

const PRESENCE = /^\$aws\/events\/presence\/(connected|disconnected|connect_failed)\/(.+)$/;

/** The filter that receives all three presence events of one client. */
export const presenceFilter = (clientId: string): string => `$aws/events/presence/+/${clientId}`;

export function lifecycleEvent(message: ObservedMessage): LifecycleEvent | undefined {
  const m = PRESENCE.exec(message.topic);
  if (!m) return undefined;
  const parsed = parsePayload(message.payload);
  const body = parsed.ok && typeof parsed.value === "object" && parsed.value !== null ? parsed.value : {};
  return { ...body, eventType: m[1] as LifecycleEvent["eventType"], clientId: m[2] as string };
}

/** One line per event, for "what was seen". */
export function describeEvent(e: LifecycleEvent): string {
  const why = e.disconnectReason ?? e.connectFailureReason;
  return `${e.eventType}${why ? ` (${why})` : ""} of ${e.clientId}`;
}

/** A short printable preview of a payload, for "what was seen". */
export function preview(message: ObservedMessage, max = 80): string {
  const text = message.payload
    .toString("utf8")
    .replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return `${message.topic}: ${text.length > max ? `${text.slice(0, max)}…` : text}`;
}
