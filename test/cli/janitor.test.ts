// The janitor: what a crashed run left behind is found by its run id and removed.
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ListThingsCommand } from "@aws-sdk/client-iot";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../support/cli-process.ts";
import { ecdsaSigner, issueCertificate } from "../../crypto/x509-certificate.ts";
import { iotClientFromEnv } from "../../hil/aws/index.ts";

describe("mar-hil cleanup as a janitor", () => {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-janitor-"));
  const cloud = spawn(process.execPath, [BIN, "cloud", "--json", "--state", dir]);
  afterAll(() => {
    cloud.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("removes every resource whose run id matches, and says what it removed", async () => {
    const line = (await createInterface({ input: cloud.stdout })[Symbol.asyncIterator]().next())
      .value as string;
    const env =
      (JSON.parse(line) as { accounts: Array<{ env: Record<string, string> }> }).accounts[0]?.env ?? {};
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const name = [["CN", "eval3-0209AABBCCDDEEFF110139"]] as const;
    const cert = join(dir, "device.pem");
    writeFileSync(
      cert,
      new X509Certificate(
        issueCertificate({
          serial: randomBytes(8),
          issuer: name,
          subject: name,
          notBefore: new Date("2021-03-05T00:00:00Z"),
          notAfter: new Date("2051-03-05T00:00:00Z"),
          publicKey,
          signer: ecdsaSigner(privateKey),
        }),
      ).toString(),
    );
    for (const thing of ["crashed-one", "crashed-two"]) {
      const r = await runCli([
        "register",
        "--cert",
        cert,
        "--thing",
        thing,
        "--cloud",
        "local",
        "--state",
        dir,
      ]);
      expect(r.code).toBe(0);
    }
    const iot = iotClientFromEnv(env);
    expect((await iot.send(new ListThingsCommand({}))).things).toHaveLength(2);
    const swept = await runCli(["cleanup", "--run-prefix", "run-", "--cloud", "local", "--state", dir]);
    expect(swept.stderr).toBe("");
    expect(swept.code).toBe(0);
    expect(swept.stdout).toMatch(/things deleted: crashed-(one|two), crashed-(one|two)/);
    expect((await iot.send(new ListThingsCommand({}))).things ?? []).toEqual([]);
    const bad = await runCli(["cleanup", "--older-than", "soon", "--cloud", "local", "--state", dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("mar-hil cleanup: --older-than must be an age like 90m or 2h, got 'soon'\n");
  }, 60_000);
});
