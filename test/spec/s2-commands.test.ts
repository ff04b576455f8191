// firmware-shell §2: the 11 commands, their help texts and outputs.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HELP_TEXT } from "../../simulator/shell/help-texts.ts";
import { BoardHarness } from "../support/board-harness.ts";

const FULL_HELP = Object.values(HELP_TEXT).join("");
const NOT_RECOGNIZED = "Command not recognized. Enter 'help' to view a list of available commands.\r\n";

function psRow(out: string, name: string): string | undefined {
  return out.split("\r\n").find((l) => l.split("|")[3]?.trim() === name);
}

describe("§2 command set", () => {
  let h: BoardHarness;
  beforeEach(async () => {
    h = await BoardHarness.booted();
  });
  afterEach(() => h.dispose());

  it("answers an unknown command with the not-recognized text (§2.1)", async () => {
    expect(await h.command("version")).toBe(`version\r\n${NOT_RECOGNIZED}> `);
    expect(await h.command("helpme")).toBe(`helpme\r\n${NOT_RECOGNIZED}> `);
  });

  it("lists all 11 help texts in registration order, with the binary's typos (§2.2)", async () => {
    const out = await h.command("help");
    expect(out).toBe(`help\r\n${FULL_HELP}> `);
    expect(out).toContain("Print help test for a specific command");
    expect(out).toContain("The certificate should be \r\n");
    expect(Object.keys(HELP_TEXT)).toEqual([
      "help",
      "conf",
      "pki",
      "ps",
      "kill",
      "killall",
      "heapstat",
      "reset",
      "uptime",
      "rngtest",
      "assert",
    ]);
  });

  it("matches `help <arg>` by command-name prefix, first registered wins (§2.2)", async () => {
    expect(await h.command("help killall")).toBe(`help killall\r\n${HELP_TEXT.kill}> `);
    expect(await h.command("help confx")).toBe(`help confx\r\n${HELP_TEXT.conf}> `);
    expect(await h.command("help pki")).toBe(`help pki\r\n${HELP_TEXT.pki}> `);
    expect(await h.command("help zzz")).toBe(`help zzz\r\n${FULL_HELP}> `);
  });

  it("keeps the last help target for a later bare `help` until an unmatched argument or reset (§2.2)", async () => {
    await h.command("help uptime");
    expect(await h.command("help")).toBe(`help\r\n${HELP_TEXT.uptime}> `);
    expect(await h.command("help")).toBe(`help\r\n${HELP_TEXT.uptime}> `);
    await h.command("help nothing");
    expect(await h.command("help")).toBe(`help\r\n${FULL_HELP}> `);
    await h.command("help ps");
    await h.command("reset", 2000);
    expect(await h.command("help")).toBe(`help\r\n${FULL_HELP}> `);
  });

  it("prints the task table with its header and one row per task (§2.5)", async () => {
    const out = await h.command("ps extra args");
    const lines = out.split("\r\n");
    expect(lines[0]).toBe("ps extra args");
    expect(lines[1]).toBe("Total Runtime: 600");
    expect(lines[2]).toBe(`+${"-".repeat(82)}+`);
    expect(lines[3]).toBe(
      "| Task |   State   |    Task Name     |___Priority__| %CPU | Stack | Stack | Stack |",
    );
    expect(lines[4]).toBe(
      "|  ID  |           |                  | Base | Cur. |      | Alloc |  HWM  | Usage |",
    );
    expect(psRow(out, "cli")).toBe(
      "|    4 | RUNNING   | cli              |  10  |  10  |   0% |  2050 |  1500 |  26%  |",
    );
    for (const row of lines.slice(6, -1)) {
      expect(row).toMatch(
        /^\| +\d+ \| [A-Z ]{9} \| .{16} \| +\d+ {2}\| +\d+ {2}\| +\d+% \| +\d+ \| +\d+ \| +\d+% {2}\|$/,
      );
    }
    expect(out.endsWith("|\r\n> ")).toBe(true);
  });

  it("kill/killall print nothing and suspend, resume or delete the target (§2.6, §2.7)", async () => {
    expect(await h.command("kill -SIGSTOP 8")).toBe("kill -SIGSTOP 8\r\n> ");
    expect(psRow(await h.command("ps"), "MxNet")).toContain("| SUSPENDED |");
    expect(await h.command("kill -25 8")).toBe("kill -25 8\r\n> ");
    expect(psRow(await h.command("ps"), "MxNet")).toContain("| BLOCKED   |");
    expect(await h.command("killall -SIGKILL MxNet")).toBe("killall -SIGKILL MxNet\r\n> ");
    expect(psRow(await h.command("ps"), "MxNet")).toContain("| BLOCKED   |");
    expect(await h.command("killall MxNet")).toBe("killall MxNet\r\n> ");
    expect(psRow(await h.command("ps"), "MxNet")).toBeUndefined();
    expect(await h.command("killall NoSuchTask")).toBe("killall NoSuchTask\r\n> ");
  });

  it("`kill <missing id>` suspends the CLI itself: input is dead, logs go on (§2.6)", async () => {
    expect(await h.command("kill 999")).toBe("kill 999\r\n");
    expect(await h.command("uptime")).toBe("");
    await h.clock.advance(121_500 - h.clock.now());
    expect(h.take()).toBe(
      "<INF>   121400 [OTAUpdate ] Timed out while waiting for MQTT Agent connection. (ota_update_task.c:1383)\r\n",
    );
  });

  it("prints heap statistics per unit, with the argument quirks (§2.8)", async () => {
    const bytes = await h.command("heapstat");
    expect(bytes).toContain("| Metric           | Dec (Bytes) | Hex (Bytes) | % Total |\r\n");
    expect(bytes).toContain("| Heap Total       | 307200      | 0x4B000     | 100 %   |\r\n");
    expect(bytes.split("\r\n")).toHaveLength(11);
    const kib = await h.command("heapstat -kfoo");
    expect(kib).toContain("| Metric           | Dec (KiB)   | Hex (Bytes) | % Total |\r\n");
    expect(kib).toContain("| Heap Total       | 300         | 0x4B000     | 100 %   |\r\n");
    expect(await h.command("heapstat --mega")).toContain(
      "| Heap Total       | 0           | 0x4B000     | 100 %   |",
    );
    expect(await h.command("heapstat --kilo")).toContain("| Dec (KB)    |");
    expect(await h.command("heapstat -m")).toContain("| Dec (MiB)   |");
    expect(await h.command("heapstat --foo")).toBe(
      "heapstat --foo\r\nError: Unrecognized argument: --foo\r\n> ",
    );
    expect(await h.command("heapstat -x")).toBe("heapstat -x\r\nError: Unrecognized argument: -x\r\n> ");
    const word = await h.command("heapstat word");
    expect(word.startsWith("heapstat word\r\nError: Unrecognized argument: word\r\n+---")).toBe(true);
    expect(word).toContain("| Dec (Bytes) |");
  });

  it("formats uptime as days and hh:mm:ss.mmm since the scheduler started (§2.10)", async () => {
    await h.clock.advance(90_061_001 - h.clock.now());
    h.take();
    // OTA state logs keep coming every 30 s; the command's own reply is what matters here.
    expect(await h.command("uptime", 0)).toBe("uptime\r\nup 1 day(s) 01:01:01.001\r\n> ");
  });

  it("rngtest prints 64-byte blocks as 88 base64 characters back to back, then DONE (§2.11)", async () => {
    const out = await h.command("rngtest", 1000);
    const body = out.slice("rngtest\r\n".length, out.indexOf("\r\nDONE\r\n"));
    expect(body).toHaveLength(40 * 88);
    expect(body).toMatch(/^([A-Za-z0-9+/]{86}==){40}$/);
    expect(out.endsWith("\r\nDONE\r\n> ")).toBe(true);
    const hex = await h.command("rngtest 0x100", 1000);
    expect(hex.indexOf("\r\nDONE") - "rngtest 0x100\r\n".length).toBe(4 * 88);
    expect(await h.command("rngtest 0", 100)).toBe("rngtest 0\r\n\r\nDONE\r\n> ");
  });

  it("rngtest keeps the TX stream busy: queued logs wait until it is done (§1.4, §2.11)", async () => {
    await h.powerCycle(5000);
    await h.send("rngtest 10000\r", 3000);
    const out = h.take();
    const body = out.slice(out.indexOf("rngtest 10000\r\n") + 15, out.indexOf("\r\nDONE\r\n"));
    expect(body).toMatch(/^([A-Za-z0-9+/]{86}==){157}$/);
    expect(out.indexOf("Firmware Version:")).toBeGreaterThan(out.indexOf("DONE"));
  });

  it("after assert nothing else is printed until the watchdog reboots the board (§2.12)", async () => {
    await h.powerCycle(250);
    await h.send("assert\r", 8000);
    expect(h.take()).toMatch(
      /^assert\r\n<ASR> +250 \[cli {7}\] Assertion failed\. \(cli_utils\.c:667\)\r\n$/,
    );
  });

  it("heapstat keeps the unit across a bare word; kill without a known signal sends SIGTERM (cli_utils.c)", async () => {
    expect(await h.command("heapstat -k foo")).toContain("Error: Unrecognized argument: foo\r\n+");
    expect(await h.command("heapstat -k foo")).toContain("| Dec (KiB)   |");
    expect(await h.command("kill -SIGFOO 9")).toBe("kill -SIGFOO 9\r\n> ");
    expect(psRow(await h.command("ps"), "MxData")).toBeUndefined();
  });

  it("assert flushes logs, prints the ASR line, hangs, and the watchdog reboots after ≈8.2 s (§2.12)", async () => {
    expect(await h.command("assert", 8000)).toBe(
      "assert\r\n<ASR>     6000 [cli       ] Assertion failed. (cli_utils.c:667)\r\n",
    );
    await h.send("uptime\r", 100);
    expect(h.take()).toBe("");
    await h.clock.advance(200);
    expect(h.take()).toMatch(
      /^\r\n\r\n<INF> {8}0 \[None {6}\] HW Init Complete\. \(app_freertos\.c:161\)\r\n/,
    );
  });
});
