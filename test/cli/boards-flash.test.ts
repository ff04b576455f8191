// `mar-hil boards` and `mar-hil flash` as a user runs them: separate processes, a fake USB listing
// (MAR_HIL_USB_LISTING), simulated boards with their ST-LINK drives, and the fake probe tools.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { Lease } from "../../hil/board/index.ts";
import { Fleet } from "../../simulator/fleet.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { syntheticImage } from "../../stm32-image/index.ts";

const BIN = new URL("../../bin/mar-hil.js", import.meta.url).pathname;
const FAKE_TOOLS = new URL("../fixtures/fake-tools", import.meta.url).pathname;

function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
}

describe("mar-hil boards and flash", () => {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-cli-flash-"));
  const cleanup: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
  afterAll(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const file = (name: string, text: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const good = file("good.bin", syntheticImage({ profile: "reference" }));
  const SN = "0035003D3331510737363934";

  async function simulatedRack(method: string, extra: string[] = []) {
    const sub = mkdtempSync(join(dir, "rack-"));
    const fleet = await Fleet.start({
      stateDir: sub,
      boards: 1,
      link: "tcp",
      clock: new SystemClock(10),
      stlink: true,
    });
    cleanup.push(() => fleet.close());
    const sim = fleet.boards[0];
    if (!sim) throw new Error("no simulated board");
    const listing = join(sub, "usb.json");
    writeFileSync(
      listing,
      JSON.stringify({
        ports: [
          { path: "/dev/ttyACM7", serialNumber: sim.serialNumber, vendorId: "0483", productId: "374e" },
        ],
        drives: [{ serialNumber: sim.serialNumber, mountPoint: sim.drive }],
      }),
    );
    const probes = join(sub, "probes.json");
    writeFileSync(probes, JSON.stringify({ [sim.serialNumber]: sim.drive }));
    const rack = join(sub, "rack.yaml");
    writeFileSync(
      rack,
      [
        `lockDir: ${join(sub, "locks")}`,
        "boards:",
        "  - id: slot-1",
        `    stlinkSerial: ${sim.serialNumber}`,
        `    console: ${sim.port.path}`,
        `    flash: { method: ${method} }`,
        ...extra,
        "",
      ].join("\n"),
    );
    const env = {
      ...process.env,
      PATH: `${FAKE_TOOLS}:${process.env.PATH ?? ""}`,
      MAR_HIL_USB_LISTING: listing,
      MAR_HIL_FAKE_PROBES: probes,
    };
    return { sim, rack, env, lockDir: join(sub, "locks") };
  }

  it("boards: lists ST-LINKs from the USB listing, matched with the rack, and proposes entries", async () => {
    const listing = file(
      "usb.json",
      JSON.stringify({
        ports: [
          { path: "/dev/ttyACM0", serialNumber: SN, vendorId: "0483" },
          { path: "/dev/ttyACM1", serialNumber: "066DFF545071494867192841", vendorId: "0483" },
          { path: "/dev/ttyUSB0", serialNumber: "A50285BI", vendorId: "0403" },
        ],
        drives: [{ serialNumber: SN, mountPoint: "/media/lab/DIS_U585AI" }],
      }),
    );
    const rack = file(
      "rack.yaml",
      `boards:\n  - id: slot-1\n    stlinkSerial: ${SN}\n  - id: slot-2\n    stlinkSerial: 0123456789AB\n`,
    );
    const env = { ...process.env, MAR_HIL_USB_LISTING: listing };
    const json = await run(["boards", "--rack", rack, "--json"], env);
    expect(json.code).toBe(0);
    expect(
      json.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      {
        event: "board",
        serialNumber: SN,
        tty: "/dev/ttyACM0",
        drive: "/media/lab/DIS_U585AI",
        rackId: "slot-1",
      },
      {
        event: "board",
        serialNumber: "066DFF545071494867192841",
        tty: "/dev/ttyACM1",
        drive: null,
        rackId: null,
        proposal: {
          id: "board-1",
          stlinkSerial: "066DFF545071494867192841",
          flash: { method: "mass-storage" },
          reset: "console",
        },
      },
      { event: "missing", id: "slot-2", stlinkSerial: "0123456789AB" },
    ]);
    const human = await run(["boards", "--rack", rack], env);
    expect(human.stdout).toContain(`${SN}  /dev/ttyACM0  /media/lab/DIS_U585AI  rack: slot-1`);
    expect(human.stdout).toContain(
      "proposed rack entries (under boards:):\n- id: board-1\n  stlinkSerial: 066DFF545071494867192841",
    );
  });

  it("boards: a bad rack file is exit 2 with one line naming the field", async () => {
    const rack = file(
      "bad-rack.yaml",
      `boards:\n  - id: slot-1\n    stlinkSerial: ${SN}\n    flash: { method: jtag }\n`,
    );
    const result = await run(["boards", "--rack", rack], {
      ...process.env,
      MAR_HIL_USB_LISTING: file("none.json", '{"ports":[],"drives":[]}'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `mar-hil boards: ${rack}: boards[0].flash.method: must be one of mass-storage, cubeprogrammer, openocd, pyocd, got 'jtag'\n`,
    );
  });

  it.runIf(process.platform === "linux")(
    "boards: a host without udev is exit 2 saying what to install",
    async () => {
      const empty = join(dir, "no-udev-path");
      mkdirSync(empty, { recursive: true });
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: empty };
      delete env.MAR_HIL_USB_LISTING;
      const result = await run(["boards"], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        "mar-hil boards: udevadm not found: listing USB serial ports needs udev (apt-get install -y udev), or set MAR_HIL_USB_LISTING to a JSON listing\n",
      );
    },
  );

  it("flash --drive: the drive of a board run by `mar-hil sim`", async () => {
    const sim = spawn(process.execPath, [
      BIN,
      "sim",
      "--boards",
      "1",
      "--link",
      "tcp",
      "--json",
      "--state",
      join(dir, "sim-state"),
    ]);
    cleanup.push(() => void sim.kill("SIGKILL"));
    const lines = createInterface({ input: sim.stdout })[Symbol.asyncIterator]();
    const board = JSON.parse((await lines.next()).value as string) as { drive: string };
    const result = await run(["flash", "--bin", good, "--drive", board.drive]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`mass-storage: copied to ${board.drive}`);
    const bad = file("wrong-vector.bin", syntheticImage({ stackPointer: 0x08000000 }));
    const refused = await run(["flash", "--bin", bad, "--drive", board.drive]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^mar-hil flash: .*wrong-vector\.bin: initial stack pointer 0x08000000 is not .*; not flashed\n$/,
    );
  });

  it.each(["mass-storage", "cubeprogrammer", "openocd", "pyocd"])(
    "flash --board --rack with %s: leased, flashed, console back, boot seen",
    async (method) => {
      const { sim, rack, env } = await simulatedRack(method);
      const result = await run(["flash", "--bin", good, "--board", "slot-1", "--rack", rack, "--json"], env);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as {
        board: string;
        flash: { method: string };
        boot: { banner: string };
      };
      expect(report.board).toBe("slot-1");
      expect(report.flash.method).toBe(method);
      expect(report.boot.banner).toMatch(/HW Init Complete\./);
      expect(sim.board.profile.name).toBe("reference");
    },
  );

  it("flash with reset: probe: the boot is seen after the probe's reset; without the tool, exit 2 in one line", async () => {
    const { sim, rack, env } = await simulatedRack("mass-storage", ["    reset: probe"]);
    const result = await run(["flash", "--bin", good, "--board", "slot-1", "--rack", rack, "--json"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { boot: { banner: string } }).boot.banner).toMatch(
      /HW Init Complete\./,
    );
    expect(sim.stlink?.resets).toBe(1);

    const empty = join(dir, "empty-path");
    mkdirSync(empty, { recursive: true });
    const missing = await run(["flash", "--bin", good, "--board", "slot-1", "--rack", rack], {
      ...env,
      PATH: empty,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^mar-hil flash: STM32_Programmer_CLI not found; the ST-LINK drive cannot reset the board; for reset: probe install STM32CubeProgrammer [^\n]*\n$/,
    );
  });

  it("flash: a missing tool, a busy board and a truncated image are exit 2 in one line", async () => {
    const { rack, env, lockDir } = await simulatedRack("openocd");
    const empty = join(dir, "empty-path");
    mkdirSync(empty, { recursive: true });
    const missing = await run(["flash", "--bin", good, "--board", "slot-1", "--rack", rack], {
      ...env,
      PATH: empty,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "mar-hil flash: openocd not found; install OpenOCD 0.12 or later (apt-get install -y openocd)\n",
    );

    const truncated = file("truncated.bin", syntheticImage({ profile: "reference" }).subarray(0, 300));
    const cut = await run(["flash", "--bin", truncated, "--board", "slot-1", "--rack", rack], env);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain("is past the image's end 0x0800012C (truncated image?); not flashed");

    await using lease = await Lease.acquire("slot-1", { dir: lockDir, owner: "nightly job 17" });
    const busy = await run(["flash", "--bin", good, "--board", "slot-1", "--rack", rack], env);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(
      /^mar-hil flash: board slot-1 is leased by nightly job 17 \(pid \d+ on .*\) until .*\n$/,
    );
    expect(lease.lost).toBeUndefined();
  });

  it("flash: usage errors", async () => {
    const both = await run(["flash", "--bin", good, "--drive", dir, "--board", "x"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe("mar-hil flash: give either --board ID --rack FILE, or --drive DIR\n");
    const method = await run(["flash", "--bin", good, "--drive", dir, "--method", "pyocd"]);
    expect(method.stderr).toBe(
      "mar-hil flash: --method pyocd needs the probe's serial number: use --board ID --rack FILE\n",
    );
    const notDrive = await run(["flash", "--bin", good, "--drive", dir]);
    expect(notDrive.code).toBe(2);
    expect(notDrive.stderr).toContain("is not a mounted ST-LINK drive (no DETAILS.TXT)");
  });
});
