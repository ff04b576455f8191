// The console against the real board twin on every link it offers (style.md rule 3): in-process, a PTY
// through `serialport` (needs socat) and raw TCP. Unavailable targets are skipped with the reason.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet, type LinkKind } from "../../simulator/fleet.ts";
import { socatAvailable } from "../../simulator/link/pty.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { BoardConsole } from "./board-console.ts";
import { ExpectAbortedError, ExpectTimeoutError, LineRefusedError } from "./errors.ts";
import { LOG_HEADER } from "./log-line.ts";
import { pemLines } from "./pem-paste.ts";

const SFS = readFileSync(new URL("../../data/aws-root-cas/SFSRootCAG2.pem", import.meta.url), "latin1");
const SECRET = "twin-Secret-42";

/** The DER of a PEM (exported or pasted), to compare certificates whatever their line layout. */
const derOf = (lines: readonly string[]): Buffer =>
  Buffer.from(lines.filter((l) => /^[A-Za-z0-9+/=]+$/.test(l)).join(""), "base64");

function describeConsoleOnTwin(link: LinkKind): void {
  let dir: string;
  let fleet: Fleet;
  let console: BoardConsole;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `mar-hil-console-${link}-`));
    // Paced at the board's baud on real links, so replies arrive in wire-sized reads as from a UART.
    fleet = await Fleet.start({
      stateDir: dir,
      boards: 1,
      link,
      clock: new SystemClock(10),
      baud: link === "inproc" ? 0 : 115200,
    });
    const board = fleet.boards[0];
    if (!board) throw new Error("fleet without a board");
    console = await BoardConsole.open(board.stream ?? board.port.path);
  });
  afterAll(async () => {
    await console?.close();
    await fleet?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers commands while the boot's log lines stream, with no log inside any reply", async () => {
    const mark = console.mark();
    for (let round = 0; round < 3; round++) {
      for (const command of [
        "conf get",
        "help conf",
        "uptime",
        "heapstat",
        "ps",
        "pki export cert tls_cert",
      ]) {
        const reply = await console.command(command);
        expect(reply.lines.some((l) => LOG_HEADER.test(l))).toBe(false);
        expect(reply.lines.length).toBeGreaterThan(0);
      }
    }
    const conf = await console.command("conf get");
    expect(conf.lines.map((l) => l.split("=")[0])).toEqual([
      "thing_name",
      "mqtt_endpoint",
      "mqtt_port",
      "wifi_ssid",
      "wifi_credential",
      "time_hwm",
    ]);
    const beforeExport = console.mark();
    const cert = await console.command("pki export cert tls_cert");
    expect(cert.lines.slice(0, 2)).toEqual(["Cert: tls_cert", "-----BEGIN CERTIFICATE-----"]);
    expect(derOf(cert.lines)).toHaveLength(413);
    // §4.5: the PKCS#11 lines around an export come on the log channel, whenever uartTx sends them.
    const pkcs11 = await console.expect(/PKCS #11 was already initialized/, {
      since: beforeExport,
      channel: "logs",
    });
    expect(pkcs11.line.log?.source).toBe("core_pkcs11_mbedtls.c:1631");
    expect(cert.lines).not.toContain(pkcs11.line.text);
    expect(console.logs(mark).length).toBeGreaterThan(0);
  });

  it("refuses a 128-character line before sending and takes a 127-character one", async () => {
    const long = `conf get ${"k".repeat(119)}`;
    await expect(console.command(long)).rejects.toThrow(LineRefusedError);
    const reply = await console.command(long.slice(0, 127));
    expect(reply.text).toBe(`Error: key: ${"k".repeat(118)} was not recognized.\r\n`);
  });

  it("pastes SFSRootCAG2.pem line by line and the board stores exactly that certificate", async () => {
    const verdict = await console.pastePem("root_ca_cert", SFS);
    expect(verdict).toMatchObject({
      ok: true,
      message: "Success: Certificate loaded to label: 'root_ca_cert'.",
    });
    const exported = await console.command("pki export cert root_ca_cert");
    expect(derOf(exported.lines).equals(derOf(pemLines(SFS)))).toBe(true);
  });

  it("gets the board's verdict on broken PEMs: an error line, a silent abort", async () => {
    const lines = pemLines(SFS);
    const wide = [lines[0], `${lines[1]}AAAA`, ...lines.slice(2)].join("\n");
    expect(await console.pastePem("root_ca_cert", wide)).toMatchObject({
      ok: false,
      kind: "error",
      line: 1,
      message: "Error: Current line exceeds maximum line length for a PEM file.",
    });
    const broken = [...lines];
    broken[3] = `${broken[3]?.slice(0, 60)}A!A=`;
    expect(await console.pastePem("root_ca_cert", broken.join("\n"))).toMatchObject({
      ok: false,
      kind: "silent-abort",
      line: 3,
    });
    // The console is usable afterwards: the stray line ran as a command and the prompt came back.
    expect((await console.command("uptime")).text).toMatch(/^up 0 day\(s\) /);
  });

  it("keeps the Wi-Fi credential out of the transcript while the reply carries it", async () => {
    expect((await console.command(`conf set wifi_credential ${SECRET}`)).text).toBe(
      `wifi_credential="${SECRET}"\r\n`,
    );
    expect((await console.command("conf get wifi_credential")).lines).toEqual([
      `wifi_credential="${SECRET}"`,
    ]);
    const ndjson = console.transcript.toNdjson();
    expect(ndjson).not.toContain(SECRET);
    expect(ndjson).toContain('wifi_credential=\\"[REDACTED]\\"');
    expect(ndjson.split("\n").filter(Boolean).length).toBeGreaterThan(10);
  });

  it("follows a reset: the reply ends at the new prompt and the boot's first log is on the log channel", async () => {
    expect((await console.command("conf commit")).text).toBe("Configuration saved to NVM.\r\n");
    const mark = console.mark();
    const reset = await console.command("reset");
    expect(reset.lines[0]).toBe("Resetting device.");
    const boot = await console.expect(/HW Init Complete\./, {
      since: mark,
      channel: "logs",
      timeoutMs: 10_000,
    });
    expect(boot.line.log).toMatchObject({ tick: 0, task: "None", source: "app_freertos.c:161" });
    expect((await console.command("conf get wifi_credential")).lines).toEqual([
      `wifi_credential="${SECRET}"`,
    ]);
  });

  it("times out naming the pattern and the last lines, and stops on abort", async () => {
    await console.command("uptime");
    const failure = (await console
      .expect(/no such line/, { timeoutMs: 100 })
      .catch((e: unknown) => e)) as ExpectTimeoutError;
    expect(failure).toBeInstanceOf(ExpectTimeoutError);
    expect(failure.pattern).toBe("/no such line/");
    expect(failure.lastLines).toContain("> uptime");
    const controller = new AbortController();
    const waiting = console.expect(/no such line/, { signal: controller.signal, timeoutMs: 60_000 });
    controller.abort();
    await expect(waiting).rejects.toThrow(ExpectAbortedError);
  });
}

describe("BoardConsole on the twin in-process (Duplex)", () => describeConsoleOnTwin("inproc"));

describe.skipIf(!socatAvailable())(
  "BoardConsole on the twin through a PTY and serialport (needs socat)",
  () => describeConsoleOnTwin("pty"),
);

describe("BoardConsole on the twin over raw TCP (ser2net style)", () => describeConsoleOnTwin("tcp"));
