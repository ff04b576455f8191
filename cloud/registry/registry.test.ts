// The registry without HTTP: change events for the data plane, persistence, per-instance state.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deviceCertificate } from "../control-plane/test-kit.ts";
import { Registry } from "./registry.ts";
import { CorruptStateError } from "./state-file.ts";
import type { RegistryChange } from "./types.ts";

const dirs: string[] = [];
const open: Registry[] = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "mar-hil-registry-"));
  dirs.push(d);
  return d;
};
const openRegistry = (dir: string, accounts?: number) => {
  const r = Registry.open({ dir, accounts, now: () => 1_700_000_000_123 });
  open.push(r);
  return r;
};

describe("Registry", () => {
  it("tells subscribers what the data plane must react to", () => {
    const registry = openRegistry(tempDir());
    const [id = ""] = registry.identities().map((i) => i.accountId);
    const account = registry.account(id);
    const changes: RegistryChange[] = [];
    const unsubscribe = registry.subscribe((c) => changes.push(c));
    const cert = account.registerCertificateWithoutCa(deviceCertificate().pem, "ACTIVE");
    account.createThing("t1");
    account.attachThingPrincipal("t1", cert.certificateArn);
    account.createPolicy(
      "p",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: { Effect: "Allow", Action: "iot:*", Resource: "*" },
      }),
    );
    account.attachPolicy("p", cert.certificateArn);
    account.updateCertificate(cert.certificateId, "INACTIVE");
    account.detachThingPrincipal("t1", cert.certificateArn);
    account.deleteCertificate(cert.certificateId, true);
    unsubscribe();
    account.createThing("t2");
    const c = { accountId: id, certificateId: cert.certificateId };
    expect(changes).toEqual([
      { kind: "certificate-status", ...c, status: "ACTIVE" },
      { kind: "thing-principal", accountId: id, thingName: "t1", principal: cert.certificateArn },
      { kind: "policy-changed", accountId: id, policyName: "p" },
      { kind: "policy-changed", accountId: id, policyName: "p" },
      { kind: "certificate-status", ...c, status: "INACTIVE" },
      { kind: "thing-principal", accountId: id, thingName: "t1", principal: cert.certificateArn },
      { kind: "certificate-deleted", ...c },
      { kind: "policy-changed", accountId: id, policyName: "p" },
    ]);
    expect(cert.creationDate).toBe(1_700_000_000.123);
  });

  it("keeps going when a subscriber throws", () => {
    const registry = openRegistry(tempDir());
    registry.subscribe(() => {
      throw new Error("listener bug");
    });
    const account = registry.account(registry.identities()[0]?.accountId ?? "");
    expect(account.registerCertificateWithoutCa(deviceCertificate().pem).status).toBe("INACTIVE");
  });

  it("writes whole files only, and reads them back after a reopen", () => {
    const dir = tempDir();
    const first = openRegistry(dir);
    const id = first.identities()[0]?.accountId ?? "";
    first.account(id).createThing("__proto__", { attributes: { a: "1" } });
    first.flush();
    expect(readdirSync(dir).sort()).toEqual(["accounts.json", `registry-${id}.json`]);
    first.close();
    open.splice(open.indexOf(first), 1);
    const second = openRegistry(dir);
    expect(second.account(id).describeThing("__proto__").attributes).toEqual({ a: "1" });
    expect(second.identities()).toEqual(first.identities());
  });

  it("reports a corrupt state file as the user's to fix", () => {
    const dir = tempDir();
    const r = openRegistry(dir);
    const id = r.identities()[0]?.accountId ?? "";
    r.close();
    open.splice(0);
    writeFileSync(join(dir, `registry-${id}.json`), "{half");
    expect(() => Registry.open({ dir })).toThrow(CorruptStateError);
    expect(existsSync(join(dir, "accounts.json"))).toBe(true);
  });

  it("finds accounts by endpoint and access key, and nothing of another instance", () => {
    const x = openRegistry(tempDir(), 3);
    const y = openRegistry(tempDir());
    expect(x.accounts()).toHaveLength(3);
    for (const a of x.identities()) {
      const account = x.accounts().find((acc) => acc.accountId === a.accountId);
      expect(x.accountByEndpoint(`${account?.dataEndpoint.toUpperCase()}.`)?.accountId).toBe(a.accountId);
      expect(x.accessKey(a.accessKeyId)).toEqual({
        accountId: a.accountId,
        accessKeyId: a.accessKeyId,
        secretAccessKey: a.secretAccessKey,
      });
      expect(y.accessKey(a.accessKeyId)).toBeUndefined();
    }
    expect(x.accountByEndpoint("unknown-ats.iot.us-east-1.amazonaws.com")).toBeUndefined();
  });
});
