// Every flashing method end to end against simulated boards: drag-and-drop to the simulated ST-LINK's
// drive, and the fake STM32_Programmer_CLI / openocd / pyocd (test/fixtures/fake-tools) that program
// the same boards; then the console port coming back and the new firmware booting.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Fleet } from "../../simulator/fleet.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { syntheticImage } from "../../stm32-image/index.ts";
import { waitUntil } from "../../test/support/wait-until.ts";
import {
  DriveNotFoundError,
  flashBoard,
  FlashFailedError,
  ImageRejectedError,
  MassStorageFlasher,
  ProbeReset,
  ProbeResetFailedError,
  ToolFlasher,
  ToolMissingError,
  type Flasher,
  type ToolMethod,
} from "./index.ts";

const FAKE_TOOLS = new URL("../../test/fixtures/fake-tools", import.meta.url).pathname;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function lab() {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-flash-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const fleet = await Fleet.start({
    stateDir: join(dir, "state"),
    boards: 1,
    link: "tcp",
    clock: new SystemClock(10),
    stlink: true,
  });
  cleanup.push(() => fleet.close());
  const sim = fleet.boards[0];
  if (!sim?.stlink) throw new Error("fleet without a simulated ST-LINK");
  const probes = join(dir, "probes.json");
  writeFileSync(probes, JSON.stringify({ [sim.serialNumber]: sim.drive }));
  const env = {
    ...process.env,
    PATH: `${FAKE_TOOLS}:${process.env.PATH ?? ""}`,
    MAR_HIL_FAKE_PROBES: probes,
  };
  const bin = (name: string, image: Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, image);
    return path;
  };
  const flasher = (method: "mass-storage" | ToolMethod): Flasher =>
    method === "mass-storage"
      ? new MassStorageFlasher({ drive: sim.drive })
      : new ToolFlasher({ method, serialNumber: sim.serialNumber, env });
  return { dir, sim, stlink: sim.stlink, env, bin, flasher };
}

describe("flashing a simulated board", () => {
  it.each(["mass-storage", "cubeprogrammer", "openocd", "pyocd"] as const)(
    "%s: the image's firmware runs, the secure element survives, the port returns and the board boots",
    async (method) => {
      const { sim, bin, flasher } = await lab();
      const certificateId = sim.board.se.certificateId;
      const report = await flashBoard(bin("reference.bin", syntheticImage({ profile: "reference" })), {
        flasher: flasher(method),
        console: sim.port.path,
      });
      expect(report.flash.method).toBe(method);
      expect(report.boot?.banner).toMatch(/HW Init Complete\./);
      expect(report.boot?.target).toBe(sim.port.path);
      expect(sim.board.profile.name).toBe("reference");
      expect(sim.board.se.certificateId).toBe(certificateId);
    },
  );

  it("waits for a console port that takes seconds to come back", async () => {
    const { sim, stlink, bin, flasher } = await lab();
    stlink.usbAwayMs = 3000;
    const report = await flashBoard(bin("slow.bin", syntheticImage({ profile: "reference" })), {
      flasher: flasher("mass-storage"),
      console: sim.port.path,
      portTimeoutMs: 20_000,
    });
    // The drive was back long before the port: the harness had to poll for it.
    expect(report.boot?.attempts).toBeGreaterThan(1);
    expect(report.boot?.banner).toMatch(/HW Init Complete\./);
  });

  it.each([
    ["a truncated image", syntheticImage({ size: 300 }), "past the image's end"],
    ["a wrong vector table", syntheticImage({ resetVector: 0x08000200 }), "lacks the Thumb bit"],
    ["a file too big for the flash", syntheticImage({ size: 2 * 1024 * 1024 + 4 }), "the flash holds"],
  ])("refuses %s before touching the board", async (_what, image, reason) => {
    const { sim, stlink, bin, flasher } = await lab();
    const flashing = flashBoard(bin("bad.bin", image), {
      flasher: flasher("mass-storage"),
      console: sim.port.path,
    });
    await expect(flashing).rejects.toThrow(ImageRejectedError);
    await expect(flashing).rejects.toThrow(reason);
    expect(readdirSync(sim.drive).filter((f) => f.endsWith(".bin"))).toEqual([]);
    expect(stlink.outcomes).toEqual([]);
  });

  it("mass storage: FAIL.TXT fails the flash with its text", async () => {
    const { sim, stlink, bin, flasher } = await lab();
    stlink.failNext();
    const flashing = flashBoard(bin("ok.bin", syntheticImage()), { flasher: flasher("mass-storage") });
    await expect(flashing).rejects.toThrow(FlashFailedError);
    await expect(flashing).rejects.toThrow(
      'FAIL.TXT says "The interface firmware FAILED to reset/halt the target MCU"',
    );
    expect(sim.board.profile.name).toBe("mar-2025-02");
  });

  it.each(["cubeprogrammer", "openocd", "pyocd"] as const)(
    "%s: a probe that fails to program is a FLASH_FAILED with the tool's error line",
    async (method) => {
      const { stlink, bin, flasher } = await lab();
      stlink.failNext();
      const flashing = flashBoard(bin("ok.bin", syntheticImage()), { flasher: flasher(method) });
      await expect(flashing).rejects.toThrow(FlashFailedError);
      await expect(flashing).rejects.toThrow(
        /exited with 1 flashing ST-LINK [0-9A-F]{24}: .*error.*FAILED to reset\/halt/i,
      );
    },
  );

  it.each(["cubeprogrammer", "openocd", "pyocd"] as const)(
    "%s: a probe serial number that is not attached is FLASH_FAILED, not a hang",
    async (method) => {
      const { bin, env } = await lab();
      const flasher = new ToolFlasher({ method, serialNumber: "0000DEADBEEF000000000000", env });
      await expect(flashBoard(bin("ok.bin", syntheticImage()), { flasher })).rejects.toThrow(
        /0000DEADBEEF000000000000/,
      );
    },
  );

  it.each([
    ["cubeprogrammer", "STM32_Programmer_CLI not found; install STM32CubeProgrammer"],
    ["openocd", "openocd not found; install OpenOCD 0.12 or later (apt-get install -y openocd)"],
    ["pyocd", "pyocd not found; install pyOCD and the STM32U5 pack"],
  ] as const)("%s missing: one line saying what to install", async (method, message) => {
    const { dir, bin, env } = await lab();
    const empty = join(dir, "empty-path");
    mkdirSync(empty);
    const flasher = new ToolFlasher({ method, serialNumber: "X", env: { ...env, PATH: empty } });
    const flashing = flashBoard(bin("ok.bin", syntheticImage()), { flasher });
    await expect(flashing).rejects.toThrow(ToolMissingError);
    await expect(flashing).rejects.toThrow(message);
  });

  it("mass storage: a folder that is not an ST-LINK drive is refused", async () => {
    const { dir, bin } = await lab();
    const flasher = new MassStorageFlasher({ drive: dir });
    await expect(flashBoard(bin("ok.bin", syntheticImage()), { flasher })).rejects.toThrow(
      DriveNotFoundError,
    );
    expect(existsSync(join(dir, "ok.bin"))).toBe(true);
  });
});

/** Everything the simulated board's TCP console prints from now on. */
async function listen(path: string): Promise<{ text(): string }> {
  const { hostname, port } = new URL(path);
  const socket = connect(Number(port), hostname);
  let text = "";
  socket.on("data", (b: Buffer) => (text += b.toString("latin1")));
  cleanup.push(() => void socket.destroy());
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return { text: () => text };
}

const BOOTED = "\r\n\r\n<INF>        0 [None      ] HW Init Complete.";

describe("resetting a simulated board through its probe (reset: probe)", () => {
  it.each(["cubeprogrammer", "openocd", "pyocd", "mass-storage"] as const)(
    "%s: the board restarts and its console shows the boot",
    async (method) => {
      const { sim, stlink, env } = await lab();
      const console = await listen(sim.port.path);
      expect(console.text()).not.toContain(BOOTED);
      const report = await new ProbeReset({ method, serialNumber: sim.serialNumber, env }).reset();
      // The drive has no reset line: a mass-storage board is reset with STM32CubeProgrammer.
      expect(report.detail).toMatch(
        method === "mass-storage" || method === "cubeprogrammer"
          ? /^STM32_Programmer_CLI -c port=SWD sn=[0-9A-F]{24} -rst$/
          : method === "openocd"
            ? /^openocd .*adapter serial [0-9A-F]{24} .*init; reset run; shutdown$/
            : /^pyocd reset -u [0-9A-F]{24} -t stm32u585aiix$/,
      );
      expect(stlink.resets).toBe(1);
      await waitUntil("the boot banner", () => console.text().includes(BOOTED));
      expect(sim.board.profile.name).toBe("mar-2025-02");
    },
  );

  it("a probe that is not attached is PROBE_RESET_FAILED naming it", async () => {
    const { env } = await lab();
    const reset = new ProbeReset({ method: "pyocd", serialNumber: "0000DEADBEEF000000000000", env });
    await expect(reset.reset()).rejects.toThrow(ProbeResetFailedError);
    await expect(reset.reset()).rejects.toThrow(/pyocd exited with 1 .*0000DEADBEEF000000000000/);
  });

  it.each([
    ["openocd", "openocd not found; install OpenOCD 0.12 or later (apt-get install -y openocd)"],
    [
      "mass-storage",
      "STM32_Programmer_CLI not found; the ST-LINK drive cannot reset the board; for reset: probe install STM32CubeProgrammer",
    ],
  ] as const)("%s without its tool: one line saying what to install", async (method, message) => {
    const { dir, env } = await lab();
    const empty = join(dir, "empty-path");
    mkdirSync(empty);
    const reset = new ProbeReset({ method, serialNumber: "X", env: { ...env, PATH: empty } });
    await expect(reset.reset()).rejects.toThrow(ToolMissingError);
    await expect(reset.reset()).rejects.toThrow(message);
    await expect(reset.reset()).rejects.not.toThrow(/\n/);
  });

  it("after flashing, the probe's reset replaces the console's to see the boot", async () => {
    const { sim, stlink, bin, flasher, env } = await lab();
    const probe = new ProbeReset({ method: "openocd", serialNumber: sim.serialNumber, env });
    const report = await flashBoard(bin("reference.bin", syntheticImage({ profile: "reference" })), {
      flasher: flasher("openocd"),
      console: sim.port.path,
      reset: (signal) => probe.reset(signal),
    });
    expect(report.boot?.banner).toMatch(/HW Init Complete\./);
    expect(stlink.resets).toBe(1);
  });
});
