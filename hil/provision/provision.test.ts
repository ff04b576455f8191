// Provisioning against the board twin: the original config.json as it is, each step verified, bad
// input refused before anything is sent.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../../simulator/fleet.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { BoardConsole } from "../console/index.ts";
import { loadConfigFile } from "./config-file.ts";
import { configureBoard, resetBoard } from "./configure-board.ts";
import { ProvisionError } from "./errors.ts";
import { readIdentity } from "./read-identity.ts";

const ORIGINAL = {
  mqtt_endpoint: "a1qwhobjtvew8t-ats.iot.us-west-2.amazonaws.com",
  mqtt_port: 8883,
  wifi_ssid: "st_iot_demo",
  wifi_credential: "s3cret-psk-value",
  portName: "COM3",
  root_ca_cert: "C:\\Users\\lab\\certs\\SFSRootCAG2.pem",
};

describe("hil/provision", () => {
  let dir: string;
  let fleet: Fleet;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mar-hil-provision-"));
    fleet = await Fleet.start({
      stateDir: join(dir, "state"),
      boards: 1,
      link: "inproc",
      clock: new SystemClock(10),
    });
  });
  afterAll(async () => {
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };

  it("configures from the original config.json (Windows root CA path) and verifies every step", async () => {
    const config = loadConfigFile(write("config.json", ORIGINAL));
    expect(config.portName).toBe("COM3");
    expect(config.device.rootCaSource).toMatch(/data\/aws-root-cas\/SFSRootCAG2\.pem$/);
    await using console = await BoardConsole.open(
      fleet.boards[0]?.stream as NonNullable<(typeof fleet.boards)[0]["stream"]>,
    );
    const report = await configureBoard(console, config.device, { timeoutMs: 10_000 });
    expect(report.steps.map((s) => s.step)).toEqual([
      "import root CA",
      "conf set mqtt_endpoint",
      "conf set mqtt_port",
      "conf set wifi_ssid",
      "conf set wifi_credential",
      "conf commit",
    ]);
    expect(report.steps[0]?.verified).toMatch(
      /^Success: Certificate loaded to label: 'root_ca_cert'\. \(read back: 1011 bytes/,
    );
    expect(JSON.stringify(report)).not.toContain(ORIGINAL.wifi_credential);
    const transcript = JSON.stringify(console.transcript.entries());
    expect(transcript).not.toContain(ORIGINAL.wifi_credential);

    const identity = await readIdentity(console);
    const board = fleet.boards[0]?.board;
    expect(identity.commonName).toBe(board?.se.commonName);
    expect(identity.certificateId).toBe(board?.se.certificateId);
    expect(identity.thingName).toBe(identity.commonName.slice(0, -1));
    expect(identity.thingNameNote).toContain("without its last character");

    await resetBoard(console);
    await console.expect(/Waiting until MQTT Agent is connected/, { timeoutMs: 10_000 });
    const after = await console.command("conf get mqtt_endpoint");
    expect(after.lines[0]).toBe(`mqtt_endpoint="${ORIGINAL.mqtt_endpoint}"`);
  });

  it("refuses values the firmware would mangle, before sending anything", async () => {
    await using console = await BoardConsole.open(
      fleet.boards[0]?.stream as NonNullable<(typeof fleet.boards)[0]["stream"]>,
    );
    const base = loadConfigFile(write("ok.json", ORIGINAL)).device;
    const cases: Array<[Partial<typeof base>, RegExp]> = [
      [{ wifiSsid: "My Net" }, /wifi_ssid contains a space/],
      [{ mqttEndpoint: "e".repeat(64) }, /mqtt_endpoint is 64 characters; the secure element slot holds 63/],
      [{ mqttPort: 0 }, /mqtt_port must be 1–65535/],
      [{ wifiCredential: "" }, /wifi_credential is empty/],
    ];
    for (const [change, message] of cases) {
      const sentBefore = console.transcript.entries().filter((e) => e.dir === "tx").length;
      await expect(configureBoard(console, { ...base, ...change })).rejects.toThrow(message);
      expect(console.transcript.entries().filter((e) => e.dir === "tx")).toHaveLength(sentBefore);
    }
  });

  it("names the wrong field of a bad config file in one line", () => {
    const bad: Array<[unknown, string]> = [
      ["{ nope", "bad.json: not valid JSON"],
      [{ ...ORIGINAL, mqtt_port: "eighty" }, "bad.json: field 'mqtt_port' must be a port number 1–65535"],
      [{ ...ORIGINAL, wifi_ssid: 7 }, "bad.json: field 'wifi_ssid' must be a non-empty string"],
      [
        { ...ORIGINAL, root_ca_cert: "D:\\nowhere\\missing.pem" },
        "bad.json: field 'root_ca_cert': no file D:\\nowhere\\missing.pem",
      ],
    ];
    for (const [content, message] of bad) {
      try {
        loadConfigFile(write("bad.json", content));
        throw new Error("accepted");
      } catch (e) {
        expect(e).toBeInstanceOf(ProvisionError);
        expect((e as ProvisionError).fault).toBe("user");
        expect((e as Error).message.startsWith(message), (e as Error).message).toBe(true);
        expect((e as Error).message).not.toContain("\n");
      }
    }
  });
});
