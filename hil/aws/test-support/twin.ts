// Test support: the IoT Core twin in a temporary state dir, and one IoTClient per account configured
// from nothing but the account's `env` object — the path a lab run takes with real AWS variables.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IoTClient } from "@aws-sdk/client-iot";
import { CloudTwin, type CloudAccountDescription } from "../../../cloud/index.ts";
import { selfSignedIdentity, type KeyAndCertificate } from "../../observe/self-signed-identity.ts";
import { iotClientFromEnv } from "../client.ts";

export interface TwinUnderTest extends AsyncDisposable {
  twin: CloudTwin;
  accounts: CloudAccountDescription[];
  /** One client per account, from its env object. */
  iot: IoTClient[];
  caPem: string;
}

export async function startTwin(): Promise<TwinUnderTest> {
  const stateDir = mkdtempSync(join(tmpdir(), "mar-hil-aws-"));
  const twin = await CloudTwin.start({ stateDir });
  const description = twin.describe();
  const iot = description.accounts.map((a) => iotClientFromEnv(a.env));
  return {
    twin,
    accounts: description.accounts,
    iot,
    caPem: readFileSync(description.caFile, "utf8"),
    async [Symbol.asyncDispose]() {
      for (const client of iot) client.destroy();
      await twin.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

let serial = 0;

/** A board-like identity: CN `eval3-…`, thing name = CN minus its last character (firmware-shell §3.5). */
export function boardIdentity(label: string): KeyAndCertificate & { thingName: string } {
  serial += 1;
  const hex = `${label.replace(/[^0-9A-F]/gi, "").toUpperCase()}${String(serial).padStart(4, "0")}${Date.now().toString(16).toUpperCase()}`;
  const commonName = `eval3-${hex.slice(-22).padStart(22, "0")}`;
  return { ...selfSignedIdentity(commonName), thingName: commonName.slice(0, -1) };
}
