// `mar-hil sim` as a user runs it: a real process, real ports, SIGTERM, exit codes.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { SerialPort } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { socatAvailable } from "../../simulator/link/pty.ts";
import { TextCollector } from "../../test/support/byte-channel.ts";

const BIN = new URL("../../bin/mar-hil.js", import.meta.url).pathname;

interface Running {
  child: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
}

/** Every process a test started, so none outlives its test even when an assertion fails. */
const started: ChildProcessWithoutNullStreams[] = [];

function start(args: string[], env: NodeJS.ProcessEnv = process.env): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  started.push(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return { child, lines };
}

async function next(r: Running): Promise<Record<string, string>> {
  const { value, done } = await r.lines.next();
  if (done) throw new Error("mar-hil sim ended before printing a board");
  return JSON.parse(value as string) as Record<string, string>;
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

describe("mar-hil sim", () => {
  const dirs: string[] = [];
  const state = (): string => {
    const d = mkdtempSync(join(tmpdir(), "mar-hil-cli-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const c of started.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it.skipIf(!socatAvailable())(
    "prints one board line per board with a PTY any serial client opens, and exits 0 on SIGTERM (needs socat)",
    async () => {
      const dir = state();
      const r = start(["sim", "--boards", "2", "--link", "pty", "--json", "--state", dir]);
      const exited = exitOf(r.child);
      const boards = [await next(r), await next(r)];
      expect(boards.map((b) => b.board)).toEqual(["sim-1", "sim-2"]);
      for (const b of boards) {
        expect(b.event).toBe("board");
        expect(b.commonName).toMatch(/^eval3-0209[0-9A-F]{14}0139$/);
        expect(b.thingName).toBe(b.commonName?.slice(0, -1));
        expect(b.certificateId).toMatch(/^[0-9a-f]{64}$/);
        expect(existsSync(b.port as string)).toBe(true);
        expect(existsSync(b.drive as string)).toBe(true);
      }
      expect(boards[0]?.commonName).not.toBe(boards[1]?.commonName);

      const port = new SerialPort({ path: boards[0]?.port as string, baudRate: 115200 });
      await new Promise<void>((resolve, reject) => port.once("open", resolve).once("error", reject));
      const rx = new TextCollector();
      port.on("data", (b: Buffer) => rx.push(b));
      await rx.until("Waiting until MQTT Agent is connected.");
      port.write("pki export cert tls_cert\r\n");
      const out = await rx.until("-----END CERTIFICATE-----\r\n");
      const pem = out.slice(out.indexOf("-----BEGIN CERTIFICATE-----"));
      expect(new X509Certificate(pem.replace(/\r\n/g, "\n")).subject).toContain(
        `CN=${boards[0]?.commonName}`,
      );
      await new Promise<void>((resolve) => port.close(() => resolve()));

      r.child.kill("SIGTERM");
      expect((await exited).code).toBe(0);
      expect(existsSync(boards[0]?.port as string)).toBe(false);
    },
  );

  it("serves raw TCP ports and keeps each board's identity across restarts with the same --state", async () => {
    const dir = state();
    const first = start(["sim", "--boards", "1", "--link", "tcp", "--json", "--state", dir]);
    const exited = exitOf(first.child);
    const board = await next(first);
    expect(board.port).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    // The cloud twin the boards talk to comes up with them.
    const cloud = (await next(first)) as unknown as {
      event: string;
      accounts: Array<{ endpoint: string; dataPort: number; env: Record<string, string> }>;
    };
    expect(cloud.event).toBe("cloud");
    expect(cloud.accounts).toHaveLength(2);
    for (const a of cloud.accounts) {
      expect(a.endpoint).toMatch(/^[a-z0-9]+-ats\.iot\.[a-z0-9-]+\.amazonaws\.com$/);
      expect(Object.keys(a.env).sort()).toEqual([
        "AWS_ACCESS_KEY_ID",
        "AWS_CA_BUNDLE",
        "AWS_ENDPOINT_URL_IOT",
        "AWS_REGION",
        "AWS_SECRET_ACCESS_KEY",
        "MAR_HIL_MQTT_CONNECT",
      ]);
    }
    const url = new URL(board.port as string);
    const socket = connect(Number(url.port), url.hostname);
    const rx = new TextCollector();
    socket.on("data", (b) => rx.push(b));
    await rx.until("Waiting until MQTT Agent is connected.");
    socket.write("conf set wifi_ssid kept\r\nconf commit\r\n");
    await rx.until("Configuration saved to NVM.\r\n");
    socket.destroy();
    first.child.kill("SIGINT");
    expect((await exited).code).toBe(0);

    const second = start(["sim", "--boards", "1", "--link", "tcp", "--json", "--state", dir]);
    const again = await next(second);
    expect(again.certificateId).toBe(board.certificateId);
    const url2 = new URL(again.port as string);
    const socket2 = connect(Number(url2.port), url2.hostname);
    const rx2 = new TextCollector();
    socket2.on("data", (b) => rx2.push(b));
    await rx2.until("Waiting until MQTT Agent is connected.");
    socket2.write("conf get wifi_ssid\r\n");
    await rx2.until('wifi_ssid="kept"\r\n');
    socket2.destroy();
    second.child.kill("SIGTERM");
    expect((await exitOf(second.child)).code).toBe(0);
  });

  it("rejects bad options with one line and exit code 2", async () => {
    for (const args of [
      ["--boards", "0"],
      ["--link", "usb"],
      ["--profile", "nope"],
      ["--baud", "fast"],
      ["--bogus"],
    ]) {
      const r = start(["sim", ...args]);
      const { code, stderr } = await exitOf(r.child);
      expect(code).toBe(2);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^mar-hil sim: /);
    }
  });

  it("refuses a second sim on the same state directory, and an unusable --state, with exit code 2", async () => {
    const dir = state();
    const first = start(["sim", "--boards", "1", "--link", "tcp", "--json", "--state", dir]);
    const exited = exitOf(first.child);
    await next(first);
    const second = await exitOf(start(["sim", "--boards", "1", "--link", "tcp", "--state", dir]).child);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      /^mar-hil sim: state directory .* is in use by another mar-hil sim \(pid \d+\)/,
    );
    first.child.kill("SIGTERM");
    expect((await exited).code).toBe(0);

    const notADir = join(state(), "file");
    writeFileSync(notADir, "x");
    const bad = await exitOf(start(["sim", "--link", "tcp", "--state", notADir]).child);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^mar-hil sim: cannot use state directory /);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("names a damaged state file in one line with exit code 2", async () => {
    const dir = state();
    writeFileSync(join(dir, "st-ca.json"), "{ not json");
    const { code, stderr } = await exitOf(start(["sim", "--link", "tcp", "--state", dir]).child);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^mar-hil sim: state file .*st-ca\.json is damaged \(.*\); delete it or pass another --state\n$/,
    );
  });

  it("says how to install socat when a PTY is asked for without it, exit code 2", async () => {
    // A PATH with node and nothing else.
    const bin = state();
    symlinkSync(process.execPath, join(bin, "node"));
    const r = start(["sim", "--boards", "1", "--link", "pty", "--state", state()], {
      ...process.env,
      PATH: bin,
    });
    const { code, stderr } = await exitOf(r.child);
    expect(code).toBe(2);
    expect(stderr).toContain("apt-get install -y socat");
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });
});
