// `mar-hil cloud` as a user runs it: a real process, the real SDK against what it prints, SIGTERM, exit codes.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  CreateThingCommand,
  DescribeEndpointCommand,
  IoTClient,
  ListThingsCommand,
} from "@aws-sdk/client-iot";
import { afterEach, describe, expect, it } from "vitest";
import type { CloudDescription } from "../../cloud/index.ts";

const BIN = new URL("../../bin/mar-hil.js", import.meta.url).pathname;

function run(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, [BIN, ...args]);
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", () => reject(new Error(`mar-hil exited before printing: ${stderr}`)));
  });
  firstLine.catch(() => undefined); // awaited only by the tests that expect output
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stderr })),
  );
  return { child, firstLine, exit };
}

describe("mar-hil cloud", () => {
  const dirs: string[] = [];
  const state = (): string => {
    const d = mkdtempSync(join(tmpdir(), "mar-hil-cloud-cli-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("prints the cloud object with --json, serves the SDK from its env, exits 0 on SIGTERM; same state, same cloud", async () => {
    const dir = state();
    const r = run(["cloud", "--json", "--accounts", "3", "--state", dir]);
    const d = JSON.parse(await r.firstLine) as CloudDescription;
    expect(d.event).toBe("cloud");
    expect(readFileSync(d.caFile, "utf8")).toContain("BEGIN CERTIFICATE");
    expect(d.accounts).toHaveLength(3);
    for (const a of d.accounts) {
      expect(a.dataPort).toBeGreaterThan(0);
      expect(a.env.MAR_HIL_MQTT_CONNECT).toBe(`127.0.0.1:${a.dataPort}`);
      const client = new IoTClient({
        endpoint: a.env.AWS_ENDPOINT_URL_IOT,
        region: a.env.AWS_REGION,
        credentials: {
          accessKeyId: a.env.AWS_ACCESS_KEY_ID ?? "",
          secretAccessKey: a.env.AWS_SECRET_ACCESS_KEY ?? "",
        },
      });
      expect(
        (await client.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }))).endpointAddress,
      ).toBe(a.endpoint);
      client.destroy();
    }
    const first = d.accounts[0];
    const client = new IoTClient({
      endpoint: first?.controlPlaneUrl,
      region: first?.region,
      credentials: { accessKeyId: first?.accessKeyId ?? "", secretAccessKey: first?.secretAccessKey ?? "" },
    });
    await client.send(new CreateThingCommand({ thingName: "survives-restart" }));
    client.destroy();
    r.child.kill("SIGTERM");
    expect((await r.exit).code).toBe(0);

    const again = run(["cloud", "--json", "--state", dir, "--accounts", "3"]);
    const d2 = JSON.parse(await again.firstLine) as CloudDescription;
    expect(d2.accounts.map((a) => [a.accountId, a.endpoint, a.accessKeyId])).toEqual(
      d.accounts.map((a) => [a.accountId, a.endpoint, a.accessKeyId]),
    );
    const c2 = new IoTClient({
      endpoint: d2.accounts[0]?.controlPlaneUrl,
      region: d2.accounts[0]?.region,
      credentials: {
        accessKeyId: d2.accounts[0]?.accessKeyId ?? "",
        secretAccessKey: d2.accounts[0]?.secretAccessKey ?? "",
      },
    });
    expect((await c2.send(new ListThingsCommand({}))).things?.map((t) => t.thingName)).toEqual([
      "survives-restart",
    ]);
    c2.destroy();
    again.child.kill("SIGINT");
    expect((await again.exit).code).toBe(0);
  });

  it("prints human text without secret keys, and exits 0 on SIGINT", async () => {
    const dir = state();
    const child = spawn(process.execPath, [BIN, "cloud", "--state", dir]);
    let printed = "";
    child.stdout.on("data", (b: Buffer) => {
      printed += b.toString();
      if (printed.match(/control plane/g)?.length === 2) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    const { accounts } = JSON.parse(readFileSync(join(dir, "cloud", "accounts.json"), "utf8")) as {
      accounts: Array<{ accountId: string; accessKeyId: string; secretAccessKey: string }>;
    };
    expect(accounts).toHaveLength(2);
    for (const a of accounts) {
      expect(printed).toContain(a.accountId);
      expect(printed).toContain(a.accessKeyId);
      expect(printed).not.toContain(a.secretAccessKey);
    }
  });

  it("answers bad options and an unusable --state with one line and exit 2", async () => {
    for (const args of [
      ["cloud", "--accounts", "0"],
      ["cloud", "--accounts", "two"],
      ["cloud", "--accounts", "1000"],
      ["cloud", "--bogus"],
    ]) {
      const { code, stderr } = await run(args).exit;
      expect(code, args.join(" ")).toBe(2);
      expect(stderr.trim().split("\n")).toHaveLength(1);
    }
    const file = join(state(), "not-a-dir");
    writeFileSync(file, "x");
    const { code, stderr } = await run(["cloud", "--state", file]).exit;
    expect(code).toBe(2);
    expect(stderr).toContain("state directory");
  });
});
