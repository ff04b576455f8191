import { describe, expect, it } from "vitest";
import { BoardConsole } from "./board-console.ts";
import { FakeBoard, type Responder } from "./fixtures/fake-board.ts";
import { APPENDIX_B } from "./fixtures/load.ts";
import { REDACTED } from "./redactor.ts";
import { Transcript } from "./transcript.ts";

const SECRET = "s3cret-psk";
const KEY_BODY = [
  "MHcCAQEEIBkV6yq2m0yW5v4cXW0rXyM1bD9k4r9p8R1xq9oZ2aN7oAoGCCqGSM49",
  "AwEHoUQDQgAE8ex45TVoy1BpSlMJLUpf/eZp7rFFbIEhXbAGPE7vQnWCs8VoQhP5",
  "bpFq2szzwRPLBveZLAqyTT0XtgKis/+qGA==",
];
const PRIVATE_PEM = ["-----BEGIN EC PRIVATE KEY-----", ...KEY_BODY, "-----END EC PRIVATE KEY-----"].join(
  "\n",
);

const confBoard: Responder = (line) => {
  const set = /^conf set (\S+) (\S+)/.exec(line);
  if (set) return `${set[1]}="${set[2]}"\r\n`;
  if (line === "conf get")
    return `thing_name="eval3-0209"\r\nwifi_ssid="lab"\r\nwifi_credential="${SECRET}"\r\ntime_hwm=0\r\n`;
  return "";
};

describe("Transcript", () => {
  it("records Appendix B byte for byte, timestamped, with the credential redacted in any chunking", () => {
    for (const size of [Infinity, 1, 3]) {
      const t = new Transcript();
      for (const step of APPENDIX_B) {
        const n = Number.isFinite(size) ? step.data.length : size;
        for (let i = 0; i < step.data.length; i += n) t.record(step.dir, step.data.slice(i, i + n));
      }
      const rx = t.entries().filter((e) => e.dir === "rx");
      const raw = APPENDIX_B.filter((s) => s.dir === "rx")
        .map((s) => s.data)
        .join("");
      expect(rx.map((e) => e.data).join("")).toBe(raw.replace(SECRET, REDACTED));
      expect(t.toNdjson()).not.toContain(SECRET);
      expect(rx.every((e, i) => i === 0 || e.at >= (rx[i - 1] as { at: number }).at)).toBe(true);
    }
  });

  it("never stores a Wi-Fi credential sent, echoed byte by byte, redrawn after a log, or read back", async () => {
    const board = new FakeBoard(confBoard, { chunkSize: 1, logDuringEchoAt: 28 });
    board.prompt();
    await using console = await BoardConsole.open(board);
    await console.command(`conf set wifi_credential ${SECRET}`);
    await console.command("conf get");
    await board.flushed();
    const ndjson = console.transcript.toNdjson();
    expect(ndjson).not.toContain(SECRET);
    expect(ndjson).not.toContain("s3cret");
    const rx = console.transcript
      .entries()
      .filter((e) => e.dir === "rx")
      .map((e) => e.data)
      .join("");
    // Every byte is there, only the secret replaced: the redrawn partial ("s3c") and the echo as a whole.
    expect(rx).toBe(
      board.printed
        .replace(/s3c(?=\r\x1b\[K)/, REDACTED)
        .split(SECRET)
        .join(REDACTED),
    );
    expect(rx).toContain(`wifi_credential="${REDACTED}"\r\n`);
    const tx = console.transcript.entries().filter((e) => e.dir === "tx");
    expect(tx.map((e) => e.data)).toEqual(["\x03", `conf set wifi_credential ${REDACTED}\r`, "conf get\r"]);
  });

  it("redacts private key material in both directions", async () => {
    const board = new FakeBoard(() => "", { chunkSize: 5 });
    board.prompt();
    await using console = await BoardConsole.open(board);
    await console.pastePem("fleetprov_claim_key", PRIVATE_PEM);
    await board.flushed();
    expect(board.received).toContain(KEY_BODY[1]);
    const ndjson = console.transcript.toNdjson();
    for (const line of KEY_BODY) expect(ndjson).not.toContain(line.slice(0, 16));
    expect(ndjson).toContain("-----BEGIN EC PRIVATE KEY-----");
    expect(ndjson).toContain("-----END EC PRIVATE KEY-----");
  });

  it("redacts a line still being received when exported, and values the harness registered as secret", () => {
    const t = new Transcript();
    t.record("rx", 'wifi_credential="half-a-sec');
    t.addSecret("hunter2-token");
    t.record("tx", "conf set mqtt_endpoint hunter2-token.example\r");
    const data = t.entries().map((e) => e.data);
    expect(data).toEqual([`wifi_credential="${REDACTED}`, `conf set mqtt_endpoint ${REDACTED}.example\r`]);
  });

  it.each([
    ['wifi_credential="pa"ss"\r\n', `wifi_credential="${REDACTED}"\r\n`],
    ['wifi_credential=""\r\n', `wifi_credential="${REDACTED}"\r\n`],
    ["> conf set   wifi_credential p4ss extra\r\n", `> conf set   wifi_credential ${REDACTED} extra\r\n`],
    ["> conf get wifi_credential\r\n", "> conf get wifi_credential\r\n"],
  ])("redacts the credential in %j by the firmware's own formats (§1.3, §3.4)", (line, stored) => {
    const t = new Transcript();
    for (const c of line) t.record("rx", c);
    expect(
      t
        .entries()
        .map((e) => e.data)
        .join(""),
    ).toBe(stored);
  });

  it("exports one JSON object per line with time, direction and data", () => {
    let now = Date.UTC(2025, 1, 27, 22, 51);
    const t = new Transcript(() => now++);
    t.event("opened /dev/ttyACM0");
    t.record("tx", "uptime\r");
    t.record("rx", "uptime\r\nup 0 day(s) 00:00:01.000\r\n> ");
    const lines = t.toNdjson().trimEnd().split("\n");
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { at: 1740696660000, time: "2025-02-27T22:51:00.000Z", dir: "event", data: "opened /dev/ttyACM0" },
      { at: 1740696660001, time: "2025-02-27T22:51:00.001Z", dir: "tx", data: "uptime\r" },
      { at: 1740696660002, time: "2025-02-27T22:51:00.002Z", dir: "rx", data: "uptime\r" },
      { at: 1740696660002, time: "2025-02-27T22:51:00.002Z", dir: "rx", data: "\n" },
      { at: 1740696660002, time: "2025-02-27T22:51:00.002Z", dir: "rx", data: "up 0 day(s) 00:00:01.000\r" },
      { at: 1740696660002, time: "2025-02-27T22:51:00.002Z", dir: "rx", data: "\n" },
      { at: 1740696660002, time: "2025-02-27T22:51:00.002Z", dir: "rx", data: "> " },
    ]);
  });
});
