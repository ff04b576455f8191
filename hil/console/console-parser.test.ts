import { describe, expect, it } from "vitest";
import { ConsoleParser, type ConsoleEvent } from "./console-parser.ts";
import { APPENDIX_B, BOOT_LINES, bootBytes } from "./fixtures/load.ts";

/** Feeds `text` in chunks of `size` bytes (Infinity: one chunk) and returns all events. */
function parse(text: string, size = Infinity, parser = new ConsoleParser()): ConsoleEvent[] {
  const events: ConsoleEvent[] = [];
  const step = Number.isFinite(size) ? size : Math.max(1, text.length);
  for (let i = 0; i < text.length; i += step)
    events.push(...parser.push(Buffer.from(text.slice(i, i + step), "latin1")));
  return events;
}

const summary = (events: ConsoleEvent[]): string[] =>
  events.map((e) =>
    e.kind === "log"
      ? `log ${e.log.raw}`
      : e.kind === "prompt"
        ? `prompt${e.redraw ? " (redraw)" : ""} ${JSON.stringify(e.before)}`
        : `${e.kind} ${JSON.stringify(e.text)}`,
  );

describe("ConsoleParser", () => {
  const appendixRx = APPENDIX_B.filter((s) => s.dir === "rx")
    .map((s) => s.data)
    .join("");

  it.each([Infinity, 1, 2, 3, 7])("reads the Appendix B vector the same in chunks of %s bytes", (size) => {
    expect(summary(parse(appendixRx, size))).toEqual([
      "log <INF>     1400 [OTAUpdate ] Waiting until MQTT Agent is connected. (ota_update_task.c:1367)",
      'prompt (redraw) ""',
      'input "conf get"',
      'output "thing_name=\\"eval3-02090046215AD42AC2013\\""',
      'output "mqtt_endpoint=\\"a1qwhobjtvew8t-ats.iot.us-west-2.amazonaws.com\\""',
      'output "mqtt_port=8883"',
      'output "wifi_ssid=\\"st_iot_demo\\""',
      'output "wifi_credential=\\"s3cret-psk\\""',
      'output "time_hwm=0"',
      'prompt ""',
      "log <INF>     5185 [MxNet     ] Firmware Version:   V2.1.11 (mx_netconn.c:349)",
      'prompt (redraw) ""',
      'input "reset"',
      'output "Resetting device."',
      'output ""',
      "log <INF>        0 [None      ] HW Init Complete. (app_freertos.c:161)",
    ]);
  });

  it.each([Infinity, 1, 5])("parses every §6.1 boot line as a log line (chunks of %s)", (size) => {
    const events = parse(bootBytes(), size);
    const logs = events.flatMap((e) => (e.kind === "log" ? [e.log] : []));
    expect(logs.map((l) => l.raw)).toEqual(BOOT_LINES);
    expect(events.filter((e) => e.kind === "output")).toEqual([
      { kind: "output", text: "", eol: "\r\n" },
      { kind: "output", text: "", eol: "\r\n" },
    ]);
    expect(events.filter((e) => e.kind === "prompt" && !e.redraw)).toHaveLength(1);
    expect(logs[12]).toMatchObject({
      level: "INF",
      tick: 1289,
      task: "MQTTAgent",
      message: "Client Certificate: CN=eval3-02090046215AD42AC20139, SN:0x02090046215AD42AC20139",
      source: "mbedtls_transport.c:335",
    });
    expect(logs.find((l) => l.task === "MxCtrl")?.message).toBe(
      "Mx Status notification: None -> Station Up ",
    );
  });

  it("keeps the partial input redrawn after a log (§1.4) as one echoed line", () => {
    const wire =
      "> conf\r\x1b[K<INF>     5185 [MxNet     ] HW Address:         04:78:63:B5:25:0E (mx_netconn.c:350)\r\n> conf get\r\n";
    for (const size of [Infinity, 1, 4]) {
      expect(summary(parse(wire, size))).toEqual([
        'prompt ""',
        "log <INF>     5185 [MxNet     ] HW Address:         04:78:63:B5:25:0E (mx_netconn.c:350)",
        'prompt (redraw) ""',
        'input "conf get"',
      ]);
    }
  });

  it("sees the prompt after outputs that end without CRLF (§1.2)", () => {
    const events = parse(
      "> pki import key\r\n> -----END PUBLIC KEY-----\r\nERROR: Failed to parse public key.> ",
      1,
    );
    expect(summary(events).slice(-1)).toEqual(['prompt "ERROR: Failed to parse public key."']);
    expect(summary(parse("Error: Not enough memory to complete the operation> "))).toEqual([
      'prompt "Error: Not enough memory to complete the operation"',
    ]);
  });

  it("does not take '> ' inside help text or a log message for a prompt, byte by byte", () => {
    const help = "    pki generate key <label_public> <label_private> <algorithm> <algorithm_param>\r\n";
    const log =
      "<DBG>     8006 [MxCtrl    ] Mx Status notification: None -> Station Up  (mx_netconn.c:252)\r\n";
    expect(summary(parse(help + log, 1))).toEqual([
      `output ${JSON.stringify(help.trimEnd())}`,
      `log ${log.trimEnd()}`,
    ]);
  });

  it("accepts LF-only and CRLF line ends and keeps each terminator", () => {
    const events = parse("a\r\nb\nc\r\n\n> ");
    expect(events).toEqual([
      { kind: "output", text: "a", eol: "\r\n" },
      { kind: "output", text: "b", eol: "\n" },
      { kind: "output", text: "c", eol: "\r\n" },
      { kind: "output", text: "", eol: "\n" },
      { kind: "prompt", before: "", redraw: false },
    ]);
  });

  it("takes a log printed between two prints of one line out, leaving the line whole (rngtest, §1.4)", () => {
    const a = "A".repeat(86) + "==";
    const b = "B".repeat(86) + "==";
    const log = "<INF>    18389 [PubSub    ] Successfully sent QoS 1 publish (pub_sub_test_task.c:383)";
    for (const size of [Infinity, 1]) {
      expect(summary(parse(`${a}${log}\r\n${b}\r\nDONE\r\n`, size))).toEqual([
        `log ${log}`,
        `output "${a}${b}"`,
        'output "DONE"',
      ]);
    }
  });

  it("drops other escape sequences and applies backspace echo", () => {
    expect(summary(parse("> ab\b \bc\x1b[2K\r\n"))).toEqual(['prompt ""', 'input "ac"']);
  });

  it("starts clean after reset()", () => {
    const parser = new ConsoleParser();
    parser.push("half a li");
    parser.reset();
    expect(parser.partialLine).toBe("");
    expect(summary(parse("ne\r\n", Infinity, parser))).toEqual(['output "ne"']);
  });
});
