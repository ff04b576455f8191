// firmware-shell §1: UART line discipline, byte for byte.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BoardHarness } from "../support/board-harness.ts";

const NOT_RECOGNIZED = "Command not recognized. Enter 'help' to view a list of available commands.\r\n";
const PS_HELP = "ps\r\n    List the status of all running tasks and related runtime statistics.\r\n\n";

describe("§1 UART link and line discipline", () => {
  let h: BoardHarness;
  beforeEach(async () => {
    h = await BoardHarness.booted();
  });
  afterEach(() => h.dispose());

  it("echoes each byte and turns the line end into CRLF (§1.3)", async () => {
    expect(await h.command("uptime")).toBe("uptime\r\nup 0 day(s) 00:00:06.000\r\n> ");
  });

  it("ends a line on CR, LF or NUL; the second half of CRLF is a silent empty line (§1.3)", async () => {
    for (const end of ["\r", "\n", "\0", "\r\n"]) {
      await h.send(`help ps${end}`, 100);
      expect(h.take()).toBe(`help ps\r\n${PS_HELP}> `);
    }
  });

  it("ignores empty lines without echo or prompt (§1.3)", async () => {
    await h.send("\r\n\r\n\0\n\r", 100);
    expect(h.take()).toBe("");
  });

  it("erases with BS or DEL as \\b \\b and does nothing on an empty line (§1.3)", async () => {
    await h.send("\b\x7fuptx\bime\r", 100);
    expect(h.take()).toBe("uptx\b \bime\r\nup 0 day(s) 00:00:06.000\r\n> ");
    await h.send("hx\x7felp ps\r", 100);
    expect(h.take()).toBe(`hx\b \belp ps\r\n${PS_HELP}> `);
  });

  it("clears the line on Ctrl-C with CRLF and a new prompt (§1.3)", async () => {
    await h.send("conf get\x03", 10);
    expect(h.take()).toBe("conf get\r\n> ");
    expect(await h.command("uptime", 10)).toBe("uptime\r\nup 0 day(s) 00:00:06.010\r\n> ");
  });

  it("executes 127 characters but silently drops the line at the 128th (§1.3)", async () => {
    const a127 = "a".repeat(127);
    expect(await h.command(a127)).toBe(`${a127}\r\n${NOT_RECOGNIZED}> `);
    // The 128th character ends the read: no CRLF, no error, a prompt on the same line, and the
    // rest is a new line.
    await h.send(`${"b".repeat(128)}uptime\r`, 0);
    expect(h.take()).toBe(`${"b".repeat(128)}> uptime\r\nup 0 day(s) 00:00:06.500\r\n> `);
  });

  it("splits arguments on spaces only, with no quoting and case-sensitive names (§1.3)", async () => {
    expect(await h.command(" help")).toBe(` help\r\n${NOT_RECOGNIZED}> `);
    expect(await h.command("   ")).toBe(`   \r\n${NOT_RECOGNIZED}> `);
    expect(await h.command("HELP")).toBe(`HELP\r\n${NOT_RECOGNIZED}> `);
    expect(await h.command("help\tps")).toBe(`help\tps\r\n${NOT_RECOGNIZED}> `);
    expect(await h.command('conf set wifi_ssid "My Net"')).toBe(
      'conf set wifi_ssid "My Net"\r\nwifi_ssid=""My"\r\n> ',
    );
    expect(await h.command("help    ps")).toBe(`help    ps\r\n${PS_HELP}> `);
  });

  it("echoes escape sequences verbatim as part of the line (§1.3)", async () => {
    expect(await h.command("\x1b[Auptime")).toBe(`\x1b[Auptime\r\n${NOT_RECOGNIZED}> `);
  });

  it("redraws prompt and partial input around a log line that arrives while typing (§1.4)", async () => {
    await h.send("conf g", 0);
    h.take();
    await h.clock.advance(121_400 - h.clock.now() + 10);
    expect(h.take()).toBe(
      "\r\x1b[K<INF>   121400 [OTAUpdate ] Timed out while waiting for MQTT Agent connection. (ota_update_task.c:1383)\r\n> conf g",
    );
    await h.send("et mqtt_port\r", 10);
    expect(h.take()).toBe("et mqtt_port\r\nmqtt_port=0\r\n> ");
  });

  it("prints log lines plainly, after the echo, while a command runs (§1.4)", async () => {
    const out = await h.command("pki export cert tls_cert", 200);
    expect(out).toMatch(
      /^pki export cert tls_cert\r\n<WRN> {5}6\d{3} \[cli {7}\] Failed to initialize PKCS #11\. PKCS #11 was already initialized\. \(core_pkcs11_mbedtls\.c:1631\)\r\nCert: tls_cert\r\n/,
    );
    expect(out).toMatch(
      /-----END CERTIFICATE-----\r\n> \r\x1b\[K<INF> {5}6\d{3} \[cli {7}\] Successfully closed PKCS #11 session\. \(core_pkcs11_mbedtls\.c:2178\)\r\n> $/,
    );
  });

  it("never splits an echo or a command's output with a log line (§1.4)", async () => {
    await h.send("conf g", 0);
    await h.clock.advance(121_400 - h.clock.now() - 1);
    h.take();
    await h.send("et\r", 200);
    const out = h.take();
    expect(out.startsWith("et\r\nthing_name=")).toBe(true);
    expect(out).toContain("time_hwm=0\r\n> \r\x1b[K<INF>   1214");
  });

  it("prints Resetting device. without newline, then two CRLFs and the first log (§1.5)", async () => {
    await h.send("reset\r", 100);
    expect(h.take()).toBe(
      "reset\r\nResetting device.\r\n\r\n<INF>        0 [None      ] HW Init Complete. (app_freertos.c:161)\r\n",
    );
  });

  it("loses bytes received before the CLI task is up (§1.1)", async () => {
    await h.send("reset\r", 150);
    h.take();
    await h.send("uptime\r", 2000);
    expect(h.take()).not.toContain("uptime");
    expect(await h.command("uptime")).toBe("uptime\r\nup 0 day(s) 00:00:02.050\r\n> ");
  });

  it("drops the same bytes however the host chunks its writes, one WRN per 128-byte DMA chunk (§1.1)", async () => {
    const dropped = async (writes: string[]): Promise<number[]> => {
      await h.command("conf set wifi_ssid x", 10);
      h.take();
      for (const w of writes) await h.send(w, 20);
      await h.clock.advance(2000);
      return [...h.take().matchAll(/Dropped (\d+) bytes\. Console receive buffer full\./g)].map((m) =>
        Number(m[1]),
      );
    };
    const burst = "\x03".repeat(1400);
    const once = await dropped([`conf commit\r${burst}`]);
    const twice = await dropped(["conf commit\r", burst]);
    expect(once).toEqual([128, 128, 128, 128, 128, 128, 120]);
    expect(twice).toEqual(once);
  });

  it("drops bytes beyond the 512-byte receive stream while the CLI is busy, with a WRN (§1.1)", async () => {
    await h.command("conf set wifi_ssid x", 10);
    await h.send("conf commit\r", 5);
    await h.send("\x03".repeat(600), 500);
    const out = h.take();
    expect(out).toContain("Configuration saved to NVM.\r\n");
    expect(out).toMatch(
      /<WRN> {5}6\d{3} \[uartRx {4}\] Dropped 88 bytes\. Console receive buffer full\. \(cli_uart_drv\.c:236\)\r\n/,
    );
    // 512 Ctrl-C were kept and processed: each one prints a fresh prompt.
    expect(out.split("\r\n> ").length - 1).toBeGreaterThanOrEqual(512);
  });
});
