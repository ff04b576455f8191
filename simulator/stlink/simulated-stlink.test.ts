// The simulated ST-LINK on a fleet board: a copied image is checked, programmed (console port away and
// back at the same address), the board boots the image's profile, the secure element is untouched.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { syntheticImage } from "../../stm32-image/index.ts";
import { waitUntil } from "../../test/support/wait-until.ts";
import { Fleet } from "../fleet.ts";
import { SystemClock } from "../world/clock.ts";
import { DETAILS_FILE, FAIL_FILE, RESET_HALT_FAILED } from "./index.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function oneBoard() {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-stlink-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const fleet = await Fleet.start({
    stateDir: dir,
    boards: 1,
    link: "tcp",
    clock: new SystemClock(10),
    stlink: true,
  });
  cleanup.push(() => fleet.close());
  const sim = fleet.boards[0];
  if (!sim?.stlink) throw new Error("fleet without a simulated ST-LINK");
  return { sim, stlink: sim.stlink };
}

/** Resolves with the TCP port's first bytes: the port accepts connections again. */
function firstBytes(path: string): Promise<string> {
  const { hostname, port } = new URL(path);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    socket.once("error", reject);
    socket.once("data", (b) => {
      socket.destroy();
      resolve(b.toString("latin1"));
    });
    socket.once("connect", () => socket.write("\x03"));
  });
}

describe("SimulatedStlink", () => {
  it("shows a mounted drive with its serial number", async () => {
    const { sim } = await oneBoard();
    expect(readFileSync(join(sim.drive, DETAILS_FILE), "utf8")).toContain(sim.serialNumber);
    expect(sim.serialNumber).toMatch(/^[0-9A-F]{24}$/);
  });

  it("programs a good image: the profile changes, the SE survives, the port comes back at the same address", async () => {
    const { sim, stlink } = await oneBoard();
    const certificateId = sim.board.se.certificateId;
    const path = sim.port.path;
    writeFileSync(join(sim.drive, "firmware.bin"), syntheticImage({ profile: "reference" }));
    const outcome = await waitUntil("the programming", () => stlink.outcomes[0]);
    expect(outcome).toEqual({
      ok: true,
      file: "firmware.bin",
      identity: { profile: "reference", by: "marker" },
    });
    expect(sim.board.profile.name).toBe("reference");
    expect(sim.board.se.certificateId).toBe(certificateId);
    expect(sim.port.path).toBe(path);
    expect(await firstBytes(path)).toContain("> ");
    expect(existsSync(join(sim.drive, "firmware.bin"))).toBe(false);
    expect(existsSync(join(sim.drive, FAIL_FILE))).toBe(false);
  });

  it("refuses a wrong vector table with FAIL.TXT and leaves the firmware as it was", async () => {
    const { sim, stlink } = await oneBoard();
    writeFileSync(
      join(sim.drive, "bad.bin"),
      syntheticImage({ profile: "reference", stackPointer: 0x08000000 }),
    );
    const outcome = await waitUntil("the refusal", () => stlink.outcomes[0]);
    expect(outcome.ok).toBe(false);
    await waitUntil("the remount", () => existsSync(join(sim.drive, DETAILS_FILE)));
    expect(readFileSync(join(sim.drive, FAIL_FILE), "utf8")).toMatch(
      /^The file is not a valid application image for the target: initial stack pointer 0x08000000/,
    );
    expect(sim.board.profile.name).toBe("mar-2025-02");
    expect(sim.board.poweredOn).toBe(true);
  });

  it("clears an old FAIL.TXT on the next good programming, and fails on request like a probe that cannot halt the MCU", async () => {
    const { sim, stlink } = await oneBoard();
    stlink.failNext();
    writeFileSync(join(sim.drive, "a.bin"), syntheticImage());
    await waitUntil("the failure", () => stlink.outcomes[0]);
    await stlink.idle();
    expect(readFileSync(join(sim.drive, FAIL_FILE), "utf8")).toBe(`${RESET_HALT_FAILED}\r\n`);
    writeFileSync(join(sim.drive, "b.bin"), syntheticImage());
    const second = await waitUntil("the second programming", () => stlink.outcomes[1]);
    await stlink.idle();
    expect(second).toEqual({ ok: true, file: "b.bin", identity: { profile: "mar-2025-02", by: "default" } });
    expect(existsSync(join(sim.drive, FAIL_FILE))).toBe(false);
  });
});
