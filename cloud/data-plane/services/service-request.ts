// What a reserved-topic service gets from the broker and how it answers (aws-iot-docs reserved-topics).

/** A PUBLISH a client sent to a service's request topic, after the broker authorised it. */
export interface ServiceRequest {
  topic: string;
  payload: Buffer;
  /** Epoch ms. */
  now: number;
}

export interface ServiceReplies {
  /** Through the account's broker: every subscriber that may iot:Receive the topic gets it. */
  broadcast(topic: string, body: unknown): void;
  /** To the requesting connection only, and only if it may iot:Receive the topic (jobs-mqtt-api). */
  reply(topic: string, body: unknown): void;
}

/** Epoch seconds, the unit of `timestamp` in shadow, jobs and defender responses. */
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

/** The request body as text: UTF-8, with the C string terminator some firmware sends taken off. */
export function requestText(payload: Buffer): string | undefined {
  // INFERRED: AWS accepts the STM32U5 firmware's `json + '\0'` shadow report (firmware-shell §9.3).
  let end = payload.length;
  while (end > 0 && payload[end - 1] === 0) end--;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(payload.subarray(0, end));
  } catch {
    return undefined;
  }
}
