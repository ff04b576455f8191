// Test helper: the `/mqtt?X-Amz-…` path of a SigV4-presigned MQTT-over-WebSocket URL, made with the
// AWS SDK's own signer (@smithy/signature-v4), as browser and Node IoT clients do (aws-iot §4.1).
import { Sha256Node } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AccessKey, Account } from "../../registry/types.ts";
import { SIGV4_SERVICE } from "../sigv4-query.ts";

export async function presignedMqttPath(
  key: AccessKey,
  account: Account,
  opts: { host?: string; region?: string; secret?: string } = {},
): Promise<string> {
  const host = opts.host ?? account.dataEndpoint;
  const signer = new SignatureV4({
    service: SIGV4_SERVICE,
    region: opts.region ?? account.region,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: opts.secret ?? key.secretAccessKey },
    sha256: Sha256Node,
  });
  const signed = await signer.presign(
    { method: "GET", protocol: "wss:", hostname: host, path: "/mqtt", headers: { host }, query: {} },
    { expiresIn: 900 },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  return `/mqtt?${query}`;
}
