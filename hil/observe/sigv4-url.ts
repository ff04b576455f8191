// The SigV4-presigned `/mqtt` path of an MQTT-over-WebSocket connection (aws-iot §8 option A):
// service `iotdevicegateway`, query-string signing of GET wss://<endpoint>/mqtt, the session token
// added after signing as AWS IoT expects.
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { SigningCredentials } from "./types.ts";

export const SIGV4_SERVICE = "iotdevicegateway";

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData, encoding?: BufferEncoding): Buffer =>
  typeof data === "string"
    ? Buffer.from(data, encoding ?? "utf8")
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 / HMAC-SHA-256 over node:crypto in the shape the signer takes. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData, encoding?: "utf8" | "ascii" | "latin1"): void {
    this.hash.update(bytes(data, encoding));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

export async function presignedMqttPath(
  endpoint: string,
  region: string,
  credentials: SigningCredentials,
  now: Date = new Date(),
): Promise<string> {
  const signer = new SignatureV4({
    service: SIGV4_SERVICE,
    region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    sha256: NodeSha256,
  });
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: "wss:",
      hostname: endpoint,
      path: "/mqtt",
      headers: { host: endpoint },
      query: {},
    },
    { expiresIn: 900, signingDate: now },
  );
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.query ?? {})) query[k] = String(v);
  if (credentials.sessionToken) query["X-Amz-Security-Token"] = credentials.sessionToken;
  const encoded = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return `/mqtt?${encoded.join("&")}`;
}
