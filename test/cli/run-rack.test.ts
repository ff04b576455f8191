// `run --rack`: the runner on racked boards — here a rack whose consoles are simulated boards behind
// ser2net-style TCP ports, on the local twin (`--cloud local`); on a real rack it is `--cloud aws`.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../support/cli-process.ts";
import { DEFAULT_ACCESS_POINT } from "../../simulator/world/wifi.ts";

describe("mar-hil run --rack", () => {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-rack-run-"));
  const state = join(dir, "state");
  const sim = spawn(process.execPath, [
    BIN,
    "sim",
    "--boards",
    "1",
    "--link",
    "tcp",
    "--time-scale",
    "20",
    "--json",
    "--state",
    state,
  ]);
  afterAll(() => {
    sim.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("leases the rack's boards and runs scenarios on them through their consoles", async () => {
    const lines = createInterface({ input: sim.stdout })[Symbol.asyncIterator]();
    const board = JSON.parse((await lines.next()).value as string) as { port: string };
    await lines.next(); // the cloud object
    const rack = join(dir, "rack.yaml");
    writeFileSync(
      rack,
      `lockDir: ${join(dir, "locks")}\nboards:\n  - id: slot-1\n    stlinkSerial: 0035003D3331510737363934\n    console: ${board.port}\n`,
    );
    const env = {
      ...process.env,
      MAR_HIL_WIFI_SSID: DEFAULT_ACCESS_POINT.ssid,
      MAR_HIL_WIFI_CREDENTIAL: DEFAULT_ACCESS_POINT.credential,
      MAR_HIL_USB_LISTING: join(dir, "usb.json"),
    };
    writeFileSync(env.MAR_HIL_USB_LISTING, JSON.stringify({ ports: [], drives: [] }));
    const r = await runCli(
      [
        "run",
        "--rack",
        rack,
        "--cloud",
        "local",
        "--state",
        state,
        "--scenario",
        "mar-onboarding",
        "--report",
        join(dir, "reports"),
      ],
      env,
    );
    expect(r.stdout).toContain("1/1 scenarios passed on 1 boards");
    expect(r.code).toBe(0);

    const noWifi = await runCli(["run", "--rack", rack, "--cloud", "local", "--state", state], {
      ...env,
      MAR_HIL_WIFI_SSID: "",
    });
    expect(noWifi.code).toBe(2);
    expect(noWifi.stderr).toBe(
      "mar-hil run: racked boards need the lab's Wi-Fi: set MAR_HIL_WIFI_SSID and MAR_HIL_WIFI_CREDENTIAL\n",
    );
    const awsWithoutRack = await runCli(["run", "--cloud", "aws"], env);
    expect(awsWithoutRack.code).toBe(2);
  }, 120_000);
});
