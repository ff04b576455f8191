// A private key with its certificate, as the twins keep them in their state directory
// (the simulated ST CA, and each secure element's factory identity).
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";

export interface KeyedCertificate {
  privateKey: KeyObject;
  certificateDer: Buffer;
}

export function serializeKeyedCertificate(k: KeyedCertificate): Buffer {
  return Buffer.from(
    JSON.stringify({
      key: k.privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
      cert: k.certificateDer.toString("base64"),
    }),
  );
}

/** Throws when the JSON is not a key and a certificate that belong together. */
export function parseKeyedCertificate(json: unknown): KeyedCertificate {
  const { key, cert } = (json ?? {}) as { key?: unknown; cert?: unknown };
  if (typeof key !== "string" || typeof cert !== "string") throw new Error("expected key and cert");
  const privateKey = createPrivateKey({ key: Buffer.from(key, "base64"), format: "der", type: "pkcs8" });
  const certificateDer = Buffer.from(cert, "base64");
  if (!new X509Certificate(certificateDer).checkPrivateKey(privateKey))
    throw new Error("key does not match cert");
  return { privateKey, certificateDer };
}
