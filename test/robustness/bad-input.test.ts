// The board twin under hostile input: it never throws or hangs and keeps answering as the firmware does.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BoardHarness } from "../support/board-harness.ts";

const SFS = readFileSync(new URL("../../data/aws-root-cas/SFSRootCAG2.pem", import.meta.url), "latin1");
const NOT_RECOGNIZED = "Command not recognized. Enter 'help' to view a list of available commands.\r\n";

/** Fragments that steer random input into the interesting paths of the shell. */
const FRAGMENTS = [
  "conf get",
  "conf set wifi_ssid ",
  "conf set mqtt_port ",
  "conf commit",
  "help",
  "help conf",
  "ps",
  "heapstat -k",
  "uptime",
  "rngtest 100",
  "pki import cert root_ca_cert",
  "pki export cert",
  "pki export key",
  "-----BEGIN CERTIFICATE-----",
  "-----END CERTIFICATE-----",
  "MIID7zCCAtegAwIBAgIBADANBgkqhkiG9w0BAQsFADCBmDELMAkGA1UEBhMCVVMx",
  "\r",
  "\n",
  "\r\n",
  "\0",
  "\b",
  "\x7f",
  "\x03",
  "\x1b[A",
  "\xef\xbb\xbf",
];

const chunk = fc.oneof(
  fc.constantFrom(...FRAGMENTS),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString("latin1")),
  fc.string({ maxLength: 300 }),
);

describe("bad input", () => {
  let h: BoardHarness;
  beforeEach(async () => {
    h = await BoardHarness.booted();
  });
  afterEach(() => h.dispose());

  it("property: no input sequence throws, hangs or loses the prompt", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { maxLength: 12 }), async (chunks) => {
        await h.powerCycle(); // a fresh boot per case; state on the secure element may carry over
        for (const c of chunks) await h.send(c, 50);
        // Let any command finish, then Ctrl-C: a live CLI answers with a fresh prompt.
        await h.send("\x03", 2000);
        h.take();
        // A line may still be taken by an import in progress (Ctrl-C does not end it, §1.3): it
        // ends that import one way or another, and the next line is a command again.
        await h.send("\x03uptime\r", 100);
        expect(h.take()).toMatch(/\r\n> $/);
        await h.send("uptime\r", 100);
        expect(h.take()).toMatch(/^uptime\r\nup 0 day\(s\) \d\d:\d\d:\d\d\.\d{3}\r\n> $/);
        expect(h.board.internalErrors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("drops a 4 KB line in silent 128-character pieces, then works", async () => {
    await h.send(`${"x".repeat(4096)}\r`, 100);
    // 32 silent discards, each followed by a prompt on the same line; the final CR meets an empty line.
    expect(h.take()).toBe(`${"x".repeat(128)}> `.repeat(32));
    expect(await h.command("uptime")).toMatch(/^uptime\r\nup 0 day/);
  });

  it("survives NULs and binary garbage, answering unknown commands as the firmware does", async () => {
    await h.send(Buffer.from([0, 0, 0xff, 0xfe, 0x80, 0x0d, 0x00, 0x41, 0x0d]), 100);
    expect(h.take()).toBe(`\xff\xfe\x80\r\n${NOT_RECOGNIZED}> A\r\n${NOT_RECOGNIZED}> `);
  });

  it("half a PEM followed by a command makes the command a PEM line (silent abort)", async () => {
    const half = SFS.split("\n").slice(0, 8).join("\r\n");
    await h.send(`pki import cert root_ca_cert\r\n${half}\r\nconf get\r\n`, 300);
    const out = h.take();
    expect(out.endsWith("> conf get\r\n> ")).toBe(true);
    expect(out).not.toContain("thing_name=");
    expect(h.board.se.readRootCa()).toBeUndefined();
  });

  it("reproduces the Appendix B test vector", async () => {
    await h.send("conf get", 0);
    expect(h.take()).toBe("conf get");
    await h.send("\r", 0);
    await h.send("\n", 10);
    const out = h.take();
    expect(out).toMatch(
      /^\r\nthing_name="eval3-[0-9A-F]{21}"\r\nmqtt_endpoint=""\r\nmqtt_port=0\r\nwifi_ssid=""\r\nwifi_credential=""\r\ntime_hwm=0\r\n> $/,
    );
    await h.send("reset\r", 201);
    expect(h.take()).toBe(
      "reset\r\nResetting device.\r\n\r\n<INF>        0 [None      ] HW Init Complete. (app_freertos.c:161)\r\n<INF>      101 [defaultTas] STSAFE-A1xx initialized successfully (app_freertos.c:213)\r\n",
    );
  });
});
