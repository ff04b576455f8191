// The original guide with nothing done by hand: `mar-hil sim`, then `configure` with the guide's own
// config.json, `register`, publications seen by an MQTT observer, `cleanup` — all as user processes.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ListCertificatesCommand, ListThingsCommand } from "@aws-sdk/client-iot";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../support/cli-process.ts";
import { iotClientFromEnv } from "../../hil/aws/index.ts";
import { MqttObserver } from "../../hil/observe/index.ts";
import { socatAvailable } from "../../simulator/link/pty.ts";
import { DEFAULT_ACCESS_POINT } from "../../simulator/world/wifi.ts";

describe("the original guide through the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-guide-"));
  let sim: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => {
    sim?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("configure → register → the board publishes → cleanup leaves nothing", async () => {
    const state = join(dir, "state");
    // Through a real PTY when socat is there (CI installs it), as a lab's tty would be.
    const link = socatAvailable() ? "pty" : "tcp";
    sim = spawn(process.execPath, [
      BIN,
      "sim",
      "--boards",
      "1",
      "--link",
      link,
      "--time-scale",
      "10",
      "--json",
      "--state",
      state,
    ]);
    const lines = createInterface({ input: sim.stdout })[Symbol.asyncIterator]();
    const board = JSON.parse((await lines.next()).value as string) as Record<string, string>;
    const cloud = JSON.parse((await lines.next()).value as string) as {
      caFile: string;
      accounts: Array<{ endpoint: string; env: Record<string, string> }>;
    };
    const account = cloud.accounts[0] as (typeof cloud.accounts)[0];

    const config = join(dir, "config.json");
    writeFileSync(
      config,
      JSON.stringify({
        mqtt_endpoint: account.endpoint,
        mqtt_port: 8883,
        wifi_ssid: DEFAULT_ACCESS_POINT.ssid,
        wifi_credential: DEFAULT_ACCESS_POINT.credential,
        portName: "COM7",
        root_ca_cert: "C:\\MAR\\certs\\SFSRootCAG2.pem",
      }),
    );
    const configured = await runCli(["configure", "--config", config, "--port", board.port as string]);
    expect(configured.stderr).toBe("");
    expect(configured.code).toBe(0);
    expect(configured.stdout).toContain("ok  import root CA");
    expect(configured.stdout).toContain("ok  conf commit              Configuration saved to NVM.");
    expect(configured.stdout).toContain(`thing name               ${board.thingName}`);
    expect(configured.stdout).not.toContain(DEFAULT_ACCESS_POINT.credential);

    const iot = iotClientFromEnv(account.env);
    const observer = await MqttObserver.connect({
      iot,
      env: account.env,
      ca: readFileSync(cloud.caFile, "utf8"),
    });
    await observer.watch([`${board.thingName}/#`], { within: 10_000 });

    const registered = await runCli([
      "register",
      "--port",
      board.port as string,
      "--cloud",
      "local",
      "--state",
      state,
    ]);
    expect(registered.stderr).toBe("");
    expect(registered.code).toBe(0);
    expect(registered.stdout).toContain(`certificate ${board.certificateId} ACTIVE`);

    // configure reset the board before the certificate existed: it retries until it is let in (§8.2).
    const seen = await observer.expectPublications(`${board.thingName}/mqtt_test`, {
      within: 30_000,
      atLeast: 1,
    });
    expect(seen[0]?.payload.toString()).toMatch(/^\{"message": "Test message \d+"\}$/);
    await observer.close();

    const cleaned = await runCli([
      "cleanup",
      "-t",
      board.thingName as string,
      "--cloud",
      "local",
      "--state",
      state,
    ]);
    expect(cleaned.code).toBe(0);
    expect(cleaned.stdout).toContain(`things deleted: ${board.thingName}`);
    expect((await iot.send(new ListThingsCommand({}))).things ?? []).toEqual([]);
    expect((await iot.send(new ListCertificatesCommand({}))).certificates ?? []).toEqual([]);
    const again = await runCli([
      "cleanup",
      "-t",
      board.thingName as string,
      "--cloud",
      "local",
      "--state",
      state,
    ]);
    expect(again.code).toBe(0);
    sim.kill("SIGTERM");
  }, 120_000);

  it("register and cleanup without a running twin or with bad options say so in one line, exit 2", async () => {
    const none = await runCli([
      "register",
      "--cert",
      "x.pem",
      "--thing",
      "t",
      "--cloud",
      "local",
      "--state",
      join(dir, "none"),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^mar-hil register: no running cloud twin in .*; start 'mar-hil sim'/);
    const missing = await runCli(["cleanup"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("mar-hil cleanup: -t THING is required\n");
    const badConfig = await runCli([
      "configure",
      "--config",
      join(dir, "nope.json"),
      "--port",
      "tcp://127.0.0.1:1",
    ]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/^mar-hil configure: nope\.json: cannot read it \(ENOENT\)\n$/);
  });
});
