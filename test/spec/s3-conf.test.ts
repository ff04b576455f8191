// firmware-shell §3: runtime configuration in STSAFE zone 1.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HELP_TEXT } from "../../simulator/shell/help-texts.ts";
import { BoardHarness } from "../support/board-harness.ts";

const SAVED = "Configuration saved to NVM.\r\n";
const NOT_SAVED = "Error: Could not save configuration to NVM.\r\n";

describe("§3 conf — runtime configuration", () => {
  let h: BoardHarness;
  let thing: string;
  beforeEach(async () => {
    h = await BoardHarness.booted();
    thing = h.board.se.commonName.slice(0, -1);
  });
  afterEach(() => h.dispose());

  it("shows a fresh board's six keys in the binary's order, mqtt_port=0, thing name = CN minus its last char (§3.1, §3.4, §3.5)", async () => {
    expect(h.board.se.commonName).toMatch(/^eval3-0209[0-9A-F]{14}0139$/);
    expect(await h.command("conf get")).toBe(
      `conf get\r\nthing_name="${thing}"\r\nmqtt_endpoint=""\r\nmqtt_port=0\r\nwifi_ssid=""\r\nwifi_credential=""\r\ntime_hwm=0\r\n> `,
    );
  });

  it("gets one key, and names an unknown key (§3.3)", async () => {
    expect(await h.command("conf get mqtt_port")).toBe("conf get mqtt_port\r\nmqtt_port=0\r\n> ");
    expect(await h.command("conf get nope")).toBe(
      "conf get nope\r\nError: key: nope was not recognized.\r\n> ",
    );
    expect(await h.command("conf set nope 1")).toBe(
      "conf set nope 1\r\nError: key: nope was not recognized.\r\n> ",
    );
  });

  it("prints the conf help for conf, an unknown verb and a keyless set (§3.3)", async () => {
    for (const line of ["conf", "conf frob", "conf set"]) {
      expect(await h.command(line)).toBe(`${line}\r\n${HELP_TEXT.conf}> `);
    }
  });

  it("echoes a set value in get format, using only the first token (§3.3)", async () => {
    expect(await h.command("conf set wifi_ssid st_iot_demo ignored too")).toBe(
      'conf set wifi_ssid st_iot_demo ignored too\r\nwifi_ssid="st_iot_demo"\r\n> ',
    );
    expect(await h.command("conf set mqtt_port 8883")).toBe(
      "conf set mqtt_port 8883\r\nmqtt_port=8883\r\n> ",
    );
    expect(await h.command("conf set wifi_ssid")).toBe('conf set wifi_ssid\r\nwifi_ssid=""\r\n> ');
    expect(await h.command("conf set time_hwm")).toBe("conf set time_hwm\r\ntime_hwm=0\r\n> ");
  });

  it("parses numbers like strtoul: junk is 0, trailing junk ignored, negatives wrap (§3.3)", async () => {
    const cases: Array<[string, string]> = [
      ["abc", "0"],
      ["8883abc", "8883"],
      ["-5", "4294967291"],
      ["99999999999", "4294967295"],
      ["0x20", "0"],
    ];
    for (const [input, stored] of cases) {
      expect(await h.command(`conf set mqtt_port ${input}`)).toBe(
        `conf set mqtt_port ${input}\r\nmqtt_port=${stored}\r\n> `,
      );
    }
  });

  it("commits to the secure element: committed values survive reset and power cycles, staged ones do not (§3.2)", async () => {
    await h.command("conf set mqtt_endpoint a1b2c3-ats.iot.us-west-2.amazonaws.com");
    await h.command("conf set mqtt_port 8883");
    expect(await h.command("conf commit", 1000)).toBe(`conf commit\r\n${SAVED}> `);
    await h.command("conf set wifi_ssid staged-only");
    expect(await h.command("conf get wifi_ssid")).toBe('conf get wifi_ssid\r\nwifi_ssid="staged-only"\r\n> ');
    await h.command("reset", 2500);
    expect(await h.command("conf get")).toBe(
      `conf get\r\nthing_name="${thing}"\r\nmqtt_endpoint="a1b2c3-ats.iot.us-west-2.amazonaws.com"\r\nmqtt_port=8883\r\nwifi_ssid=""\r\nwifi_credential=""\r\ntime_hwm=0\r\n> `,
    );
    await h.powerCycle();
    expect(await h.command("conf get mqtt_port")).toBe("conf get mqtt_port\r\nmqtt_port=8883\r\n> ");
  });

  it("refuses to commit thing_name but still writes the other changed keys, every commit of the boot (§3.5)", async () => {
    expect(await h.command("conf set thing_name foo")).toBe(
      'conf set thing_name foo\r\nthing_name="foo"\r\n> ',
    );
    await h.command("conf set wifi_ssid lab");
    expect(await h.command("conf commit", 1000)).toBe(`conf commit\r\n${NOT_SAVED}> `);
    expect(await h.command("conf commit", 1000)).toBe(`conf commit\r\n${NOT_SAVED}> `);
    await h.command("reset", 2500);
    expect(await h.command("conf get thing_name")).toBe(`conf get thing_name\r\nthing_name="${thing}"\r\n> `);
    expect(await h.command("conf get wifi_ssid")).toBe('conf get wifi_ssid\r\nwifi_ssid="lab"\r\n> ');
  });

  it("a value over 63 characters spills into the next key's slot when committed (§3.3)", async () => {
    await h.command(`conf set mqtt_endpoint ${"e".repeat(70)}`);
    await h.command("conf commit", 1000);
    await h.command("reset", 2500);
    expect(await h.command("conf get mqtt_endpoint")).toBe(
      `conf get mqtt_endpoint\r\nmqtt_endpoint="${"e".repeat(70)}"\r\n> `,
    );
    // mqtt_port's slot was overwritten; the firmware falls back to the compiled-in default.
    expect(await h.command("conf get mqtt_port")).toBe("conf get mqtt_port\r\nmqtt_port=8883\r\n> ");
  });

  it("a commit cut by power loss leaves the old record whole (§3.6)", async () => {
    await h.command("conf set wifi_ssid before");
    await h.command("conf commit", 1000);
    h.board.se.zone1.injectFault({ tornAfterBytes: 100 });
    await h.command("conf set wifi_ssid after");
    await h.send("conf commit\r", 1000);
    expect(h.board.poweredOn).toBe(false);
    expect(h.board.internalErrors).toEqual([]);
    await h.powerCycle();
    expect(await h.command("conf get wifi_ssid")).toBe('conf get wifi_ssid\r\nwifi_ssid="before"\r\n> ');
  });

  it("power off in the middle of a multi-key commit keeps every record whole (§3.6)", async () => {
    await h.command("conf set wifi_ssid one");
    await h.command("conf set wifi_credential two");
    await h.send("conf commit\r", 80);
    h.board.powerOff();
    await h.powerCycle();
    const out = await h.command("conf get");
    expect(out).toContain('wifi_ssid="one"');
    expect(out).toMatch(/wifi_credential="(two|)"/);
  });

  it("the reference profile keeps the full CN and lists time_hwm before wifi_ssid (§0)", async () => {
    const ref = await BoardHarness.booted({ profile: "reference" });
    try {
      expect(await ref.command("conf get")).toBe(
        `conf get\r\nthing_name="${ref.board.se.commonName}"\r\nmqtt_endpoint=""\r\nmqtt_port=0\r\ntime_hwm=0\r\nwifi_ssid=""\r\nwifi_credential=""\r\n> `,
      );
    } finally {
      ref.dispose();
    }
  });
});
