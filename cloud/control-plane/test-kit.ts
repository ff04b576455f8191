// Shared set-up of the control-plane tests: a registry in a temp dir, the server, one real
// IoTClient per account, and device certificates made with real crypto.
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IoTClient, RegisterCertificateWithoutCACommand } from "@aws-sdk/client-iot";
import { ecdsaSigner, issueCertificate } from "../../crypto/x509-certificate.ts";
import { Registry } from "../registry/registry.ts";
import { ControlPlane } from "./control-plane.ts";

export interface TestTwin {
  dir: string;
  registry: Registry;
  plane: ControlPlane;
  clients: IoTClient[];
  close(options?: { keepDir?: boolean }): Promise<void>;
}

export function clientFor(
  plane: ControlPlane,
  registry: Registry,
  index: number,
  options: { secret?: string; maxAttempts?: number } = {},
): IoTClient {
  const identity = registry.identities()[index];
  if (!identity) throw new Error(`no account #${index}`);
  return new IoTClient({
    endpoint: plane.url,
    region: identity.region,
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: options.secret ?? identity.secretAccessKey,
    },
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
}

export async function startTestTwin(
  options: { dir?: string; accounts?: number; regions?: string[] } = {},
): Promise<TestTwin> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "mar-hil-cloud-"));
  const registry = Registry.open({ dir, accounts: options.accounts ?? 2, regions: options.regions });
  const plane = await ControlPlane.start({ registry });
  const clients = registry.identities().map((_, i) => clientFor(plane, registry, i));
  return {
    dir,
    registry,
    plane,
    clients,
    async close({ keepDir = false } = {}) {
      for (const c of clients) c.destroy();
      await plane.close();
      registry.close();
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let serial = 1;

/** A self-signed P-256 device certificate, as PEM, with its DER for the expected certificateId. */
export function deviceCertificate(commonName = `eval3-${serial}`): { pem: string; der: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = [["CN", commonName]] as const;
  const der = issueCertificate({
    serial: Buffer.from([serial++ & 0x7f, 1, 2]),
    issuer: [["O", "test CA"]],
    subject: name,
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("2044-01-01T00:00:00Z"),
    publicKey,
    signer: ecdsaSigner(privateKey),
  });
  return { pem: new X509Certificate(der).toString(), der };
}

export interface AwsError extends Error {
  $metadata: { httpStatusCode?: number; attempts?: number; requestId?: string };
  resourceId?: string;
  resourceArn?: string;
}

/** The error a call is expected to fail with. */
export async function failure(call: Promise<unknown>): Promise<AwsError> {
  try {
    await call;
  } catch (e) {
    return e as AwsError;
  }
  throw new Error("expected the call to fail, it succeeded");
}

/** Registers a fresh device certificate (INACTIVE, as by default) and returns its ARN. */
export async function newCertArn(client: IoTClient): Promise<string> {
  const pem = deviceCertificate().pem;
  return (
    (await client.send(new RegisterCertificateWithoutCACommand({ certificatePem: pem }))).certificateArn ?? ""
  );
}
