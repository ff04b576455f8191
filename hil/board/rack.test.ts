// rack.yaml validation (one line naming the field), discovery from a fake USB listing, acquiring a
// rack board (console by serial number, flasher, identity check), power hooks and quarantine.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { discover, findStlinks } from "./discover.ts";
import { BoardQuarantinedError, IdentityMismatchError, RackInvalidError } from "./errors.ts";
import { validateRack } from "./rack-file.ts";
import { Rack } from "./rack.ts";
import { recoverOrQuarantine } from "./recovery.ts";
import type { UsbSnapshot } from "./usb-listing.ts";

const SN_A = "0035003D3331510737363934";
const SN_B = "066DFF545071494867192841";
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-rack-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What SerialPort.list() and the mounts show on a host with two ST-LINKs, a USB stick and an FTDI cable. */
const USB: UsbSnapshot = {
  ports: [
    {
      path: "/dev/ttyACM1",
      serialNumber: SN_B,
      vendorId: "0483",
      productId: "374e",
      manufacturer: "STMicroelectronics",
    },
    { path: "/dev/ttyACM0", serialNumber: SN_A.toLowerCase(), vendorId: "0483", productId: "374e" },
    { path: "/dev/ttyUSB0", serialNumber: "A50285BI", vendorId: "0403", productId: "6001" },
    { path: "/dev/ttyS0" },
  ],
  drives: [
    { serialNumber: SN_A, mountPoint: "/media/lab/DIS_U585AI" },
    { serialNumber: "4C530001230512113095", mountPoint: "/media/lab/STICK" },
  ],
};

const invalid = (yaml: string): string => {
  try {
    validateRack(parse(yaml), "rack.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(RackInvalidError);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("accepted");
};

describe("rack.yaml", () => {
  it("reads a full entry with its defaults", () => {
    const rack = validateRack(
      parse(`
lockDir: /var/lock/mar-hil
boards:
  - id: slot-1
    stlinkSerial: ${SN_A}
    flash: { method: cubeprogrammer, command: [STM32_Programmer_CLI, -c, "port=SWD sn={serial}", -w, "{bin}", "{address}"] }
    power: { cycle: "uhubctl -l 1-1 -p 2 -a cycle" }
    reset: power
    account: lab-a
    expect: { thingName: eval3-0209004621, certificateFingerprint: "${"AB:".repeat(31)}AB" }
  - id: slot-2
    stlinkSerial: ${SN_B}
    console: tcp://rack-b:4001
`),
      "rack.yaml",
    );
    expect(rack.lockDir).toBe("/var/lock/mar-hil");
    expect(rack.boards[0]?.expect?.certificateFingerprint).toBe("ab".repeat(32));
    expect(rack.boards[1]).toEqual({
      id: "slot-2",
      stlinkSerial: SN_B,
      console: "tcp://rack-b:4001",
      flash: { method: "mass-storage" },
      reset: "console",
    });
  });

  it.each([
    ["boards: []", "rack.yaml: boards: must be a non-empty list"],
    ["boards: [{ stlinkSerial: " + SN_A + " }]", "rack.yaml: boards[0].id: is required"],
    [
      "boards: [{ id: a, stlinkSerial: ttyACM0 }]",
      "rack.yaml: boards[0].stlinkSerial: the ST-LINK's USB serial number (hex)",
    ],
    [
      `boards: [{ id: a, stlinkSerial: ${SN_A}, flash: { method: jlink } }]`,
      "rack.yaml: boards[0].flash.method: must be one of mass-storage, cubeprogrammer, openocd, pyocd, got 'jlink'",
    ],
    [`boards: [{ id: a, stlinkSerial: ${SN_A}, powr: {} }]`, "rack.yaml: boards[0].powr: unknown field"],
    [
      `boards: [{ id: a, stlinkSerial: ${SN_A}, power: { off: x } }]`,
      "rack.yaml: boards[0].power.on: give 'cycle', or both 'off' and 'on'",
    ],
    [
      `boards: [{ id: a, stlinkSerial: ${SN_A}, reset: power }]`,
      "rack.yaml: boards[0].reset: is 'power' but the board has no power hook",
    ],
    [
      `boards: [{ id: a, stlinkSerial: ${SN_A}, reset: nrst }]`,
      "rack.yaml: boards[0].reset: must be one of console, power, probe, got 'nrst'",
    ],
    [
      `boards: [{ id: a, stlinkSerial: ${SN_A}, console: ttyACM0 }]`,
      "rack.yaml: boards[0].console: a tty path or tcp://host:port",
    ],
    [
      `boards: [{ id: a, stlinkSerial: ${SN_A}, expect: { certificateFingerprint: abc } }]`,
      "rack.yaml: boards[0].expect.certificateFingerprint: the certificate's SHA-256",
    ],
    [
      `boards: [{ id: a, stlinkSerial: ${SN_A} }, { id: b, stlinkSerial: ${SN_A.toLowerCase()} }]`,
      `rack.yaml: boards[1].stlinkSerial: '${SN_A}' is also boards[0]`,
    ],
    [
      `boards: [{ id: a, stlinkSerial: ${SN_A}, flash: { command: [x] } }]`,
      "rack.yaml: boards[0].flash.command: is for cubeprogrammer, openocd or pyocd",
    ],
  ])("%s → one line naming the field", (yaml, message) => {
    expect(invalid(yaml)).toContain(message);
  });

  it("a file that is not YAML or does not exist is one line too", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "rack.yaml"), "boards: [\n");
    await expect(Rack.load(join(dir, "rack.yaml"), { usb: async () => USB })).rejects.toThrow(
      /^.*rack\.yaml: not YAML: /,
    );
    await expect(Rack.load(join(dir, "nope.yaml"), { usb: async () => USB })).rejects.toThrow(
      "nope.yaml: cannot read (ENOENT)",
    );
  });
});

describe("discovery", () => {
  it("keeps ST-LINKs (vendor 0483) only, merged by serial number with their drive", () => {
    expect(findStlinks(USB)).toEqual([
      { serialNumber: SN_A, tty: "/dev/ttyACM0", productId: "374e", drive: "/media/lab/DIS_U585AI" },
      { serialNumber: SN_B, tty: "/dev/ttyACM1", productId: "374e" },
    ]);
  });

  it("marks what the rack knows, lists what it misses, proposes entries for the rest", () => {
    const rack = validateRack(
      parse(`boards: [{ id: board-1, stlinkSerial: ${SN_B} }, { id: gone, stlinkSerial: 0123456789AB }]`),
      "r",
    );
    const found = discover(USB, rack);
    expect(found.boards.map((b) => [b.serialNumber, b.rackId])).toEqual([
      [SN_A, undefined],
      [SN_B, "board-1"],
    ]);
    expect(found.missing.map((b) => b.id)).toEqual(["gone"]);
    expect(parse(found.proposal)).toEqual([
      { id: "board-2", stlinkSerial: SN_A, flash: { method: "mass-storage" }, reset: "console" },
    ]);
    expect(
      validateRack({ boards: [...rack.boards, ...(parse(found.proposal) as unknown[])] }, "r").boards,
    ).toHaveLength(3);
  });
});

describe("a rack board", () => {
  async function rackWith(extra = "", usb: UsbSnapshot = USB, env?: NodeJS.ProcessEnv) {
    const dir = tempDir();
    const file = join(dir, "rack.yaml");
    writeFileSync(
      file,
      `lockDir: ${join(dir, "locks")}\nboards:\n  - id: slot-1\n    stlinkSerial: ${SN_A}\n${extra}`,
    );
    return { dir, rack: await Rack.load(file, { usb: async () => usb, ...(env ? { env } : {}) }) };
  }

  it("finds its console by ST-LINK serial number and holds its lease until disposed", async () => {
    const { dir, rack } = await rackWith();
    {
      await using board = await rack.acquire("slot-1");
      expect(await board.console()).toEqual({ target: "/dev/ttyACM0", serial: { serialNumber: SN_A } });
      expect(board.flasher().method).toBe("mass-storage");
      expect(board.flasher("openocd").method).toBe("openocd");
      await expect(rack.acquire("slot-1")).rejects.toThrow("board slot-1 is leased by");
    }
    expect(existsSync(join(dir, "locks", "slot-1.lock"))).toBe(false);
    await expect(rack.acquire("slot-9")).rejects.toThrow("has no board 'slot-9' (boards: slot-1)");
  });

  it("says a board whose ST-LINK is not attached is not connected", async () => {
    const { rack } = await rackWith("", { ports: [], drives: [] });
    await using board = await rack.acquire("slot-1");
    await expect(board.console()).rejects.toThrow(`ST-LINK ${SN_A} is not attached`);
  });

  it("catches a swapped board by its thing name or certificate", async () => {
    const { rack } = await rackWith(
      `    expect: { thingName: eval3-A, certificateFingerprint: "${"ab".repeat(32)}" }\n`,
    );
    await using board = await rack.acquire("slot-1");
    expect(() =>
      board.checkIdentity({ thingName: "eval3-A", certificateFingerprint: "ab".repeat(32) }),
    ).not.toThrow();
    expect(() =>
      board.checkIdentity({ thingName: "eval3-B", certificateFingerprint: "ab".repeat(32) }),
    ).toThrow(IdentityMismatchError);
    expect(() =>
      board.checkIdentity({ thingName: "eval3-A", certificateFingerprint: "cd".repeat(32) }),
    ).toThrow("re-provisioned");
  });

  it("power-cycles a silent board once through the hook, and quarantines it when still silent", async () => {
    const { dir, rack } = await rackWith(
      `    power: { cycle: 'echo "$MAR_HIL_BOARD $MAR_HIL_STLINK_SERIAL" >> ${"${HOOK_LOG}"}' }\n`,
    );
    const hookLog = join(dir, "hook.log");
    process.env.HOOK_LOG = hookLog;
    cleanup.push(() => delete process.env.HOOK_LOG);
    {
      await using board = await rack.acquire("slot-1");
      const target = { id: board.id, lockDir: rack.lockDir, power: board.power };
      const recovered = recoverOrQuarantine(target, async () => {
        throw new Error("no prompt after Ctrl-C");
      });
      await expect(recovered).rejects.toThrow(BoardQuarantinedError);
      await expect(recovered).rejects.toThrow(
        "slot-1 quarantined: not answering after a power cycle: no prompt after Ctrl-C",
      );
      expect(readFileSync(hookLog, "utf8")).toBe(`slot-1 ${SN_A}\n`);
      let calls = 0;
      const outcome = await recoverOrQuarantine(target, async () => {
        if (calls++ === 0) throw new Error("silent");
      });
      expect(outcome).toBe("recovered by power cycle");
      expect(readFileSync(hookLog, "utf8")).toBe(`slot-1 ${SN_A}\nslot-1 ${SN_A}\n`);
    }
    await expect(rack.acquire("slot-1")).rejects.toThrow(
      /slot-1 is quarantined since .*: not answering after a power cycle/,
    );
  });

  it("without a power hook, reset: probe recovers a silent board through its probe tool", async () => {
    const tools = tempDir();
    const log = join(tools, "pyocd.log");
    writeFileSync(join(tools, "pyocd"), `#!/bin/sh\necho "$@" >> ${log}\n`, { mode: 0o755 });
    const { rack } = await rackWith("    flash: { method: pyocd }\n    reset: probe\n", USB, {
      ...process.env,
      PATH: `${tools}:${process.env.PATH ?? ""}`,
    });
    {
      await using board = await rack.acquire("slot-1");
      let calls = 0;
      const outcome = await recoverOrQuarantine(board.recovery, async () => {
        if (calls++ === 0) throw new Error("silent");
      });
      expect(outcome).toBe("recovered by probe reset");
      expect(readFileSync(log, "utf8")).toBe(`reset -u ${SN_A} -t stm32u585aiix\n`);
      await expect(
        recoverOrQuarantine(board.recovery, async () => {
          throw new Error("no prompt");
        }),
      ).rejects.toThrow("slot-1 quarantined: not answering after a probe reset: no prompt");
    }
  });

  it("a failing power hook is a POWER_HOOK_FAILED naming the board", async () => {
    const { rack } = await rackWith(
      `    power: { off: 'echo "relay 3: no such relay" >&2; exit 4', on: 'true' }\n`,
    );
    await using board = await rack.acquire("slot-1");
    await expect(board.power?.cycle()).rejects.toThrow(
      "power off hook for slot-1 exited with 4: relay 3: no such relay",
    );
  });
});
