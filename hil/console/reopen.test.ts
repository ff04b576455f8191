// A port that vanishes and returns (USB re-enumeration after reset or flashing, a ser2net restart):
// the console notices, waits within its bound, reopens, and reports how long it took.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Fleet } from "../../simulator/fleet.ts";
import type { BoardPort } from "../../simulator/link/board-port.ts";
import { openPtyPort, socatAvailable } from "../../simulator/link/pty.ts";
import { openTcpPort } from "../../simulator/link/tcp.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { BoardConsole } from "./board-console.ts";
import { PortNotFoundError, SerialDisconnectedError } from "./errors.ts";
import { SerialPortLink } from "./serialport-link.ts";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function fleetOn(link: "tcp" | "pty") {
  const dir = mkdtempSync(join(tmpdir(), `mar-hil-reopen-${link}-`));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const fleet = await Fleet.start({ stateDir: dir, boards: 1, link, clock: new SystemClock(10) });
  cleanup.push(() => fleet.close());
  const sim = fleet.boards[0];
  if (!sim) throw new Error("fleet without a board");
  return { dir, sim };
}

/** Resolves when the console has seen its link go away. */
const linkGone = (console: BoardConsole): Promise<void> =>
  new Promise((resolve) => console.link.on("close", () => resolve()));

describe("BoardConsole when the port vanishes and returns", () => {
  it("reconnects to a ser2net-style TCP port that closed and listens again on the same port", async () => {
    const { sim } = await fleetOn("tcp");
    const port = Number(new URL(sim.port.path).port);
    await using console = await BoardConsole.open(sim.port.path, { reopenTimeoutMs: 10_000 });
    expect((await console.command("conf set wifi_ssid lab-7")).text).toBe('wifi_ssid="lab-7"\r\n');

    const gone = linkGone(console);
    await sim.port.close();
    await gone;
    // While the port is away, a command waits for it within its own deadline.
    await expect(console.command("uptime", { timeoutMs: 0 })).rejects.toThrow(/to come back/);
    const again: BoardPort = await openTcpPort(sim.board, 0, port);
    cleanup.push(() => again.close());

    await console.whenOpen({ timeoutMs: 10_000 });
    expect(console.reopens).toHaveLength(1);
    expect(console.reopens[0]).toMatchObject({ target: `tcp://127.0.0.1:${port}` });
    expect(console.reopens[0]?.attempts).toBeGreaterThanOrEqual(1);
    // The same board, still running: its staged value is there.
    expect((await console.command("conf get wifi_ssid")).lines).toEqual(['wifi_ssid="lab-7"']);
    const events = console.transcript.entries().filter((e) => e.dir === "event");
    expect(events.map((e) => e.data)).toContainEqual(
      expect.stringMatching(/^reopened tcp:\/\/127\.0\.0\.1:\d+ after \d+ ms/),
    );
  });

  it.skipIf(!socatAvailable())(
    "reopens a tty that disappeared and came back at the same path (needs socat)",
    async () => {
      const { sim } = await fleetOn("pty");
      const path = sim.port.path;
      await using console = await BoardConsole.open(path, { reopenTimeoutMs: 10_000 });
      await console.command("conf set wifi_ssid lab-8");

      const gone = linkGone(console);
      await sim.port.close();
      await gone;
      const again = await openPtyPort(sim.board, path);
      cleanup.push(() => again.close());

      await console.whenOpen({ timeoutMs: 10_000 });
      expect(console.reopens).toHaveLength(1);
      expect((await console.command("conf get wifi_ssid")).lines).toEqual(['wifi_ssid="lab-8"']);
    },
  );

  it.skipIf(!socatAvailable())(
    "finds the board again by USB serial number when the tty name changed (needs socat)",
    async () => {
      const { dir, sim } = await fleetOn("pty");
      let listing = [
        { path: "/dev/ttyACM9", serialNumber: "003A00213137510A33333639" },
        { path: sim.port.path, serialNumber: "0669FF3530364E5043214338" },
      ];
      const link = new SerialPortLink("", {
        serialNumber: "0669ff3530364e5043214338",
        list: async () => listing,
      });
      await using console = await BoardConsole.open(link, { reopenTimeoutMs: 10_000 });
      expect(console.target).toBe(`${sim.port.path} (USB serial 0669ff3530364e5043214338)`);
      await console.command("conf set wifi_ssid lab-9");

      const gone = linkGone(console);
      await sim.port.close();
      await gone;
      // Re-enumerated under another name, as after flashing.
      const renamed = join(dir, "tty", "sim-1-again");
      const again = await openPtyPort(sim.board, renamed);
      cleanup.push(() => again.close());
      listing = [{ path: renamed, serialNumber: "0669FF3530364E5043214338" }];

      await console.whenOpen({ timeoutMs: 10_000 });
      expect(console.target).toBe(`${renamed} (USB serial 0669ff3530364e5043214338)`);
      expect((await console.command("conf get wifi_ssid")).lines).toEqual(['wifi_ssid="lab-9"']);
    },
  );
});

describe("SerialPortLink", () => {
  it("names the ports it saw when no port has the serial number", async () => {
    const link = new SerialPortLink("", {
      serialNumber: "0669FF",
      list: async () => [{ path: "/dev/ttyACM0", serialNumber: "003A00" }, { path: "/dev/ttyS0" }],
    });
    const failure = await link.open().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PortNotFoundError);
    expect(failure).toMatchObject({ code: "SERIAL_PORT_NOT_FOUND", fault: "harness" });
    expect(String(failure)).toContain("/dev/ttyACM0=003A00, /dev/ttyS0=-");
  });

  it("refuses to write before it is open", async () => {
    await expect(new SerialPortLink("/dev/null").write(Buffer.from("ps\r"))).rejects.toThrow(
      SerialDisconnectedError,
    );
  });
});
