// A set of simulated boards sharing one state directory, each exposed on a link (in-process, PTY, TCP).
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Board } from "./firmware/board.ts";
import type { BoardPort } from "./link/board-port.ts";
import { openInProcessPort, type InProcessPort } from "./link/in-process.ts";
import { openPtyPort } from "./link/pty.ts";
import { openTcpPort } from "./link/tcp.ts";
import { SimulatedStlink } from "./stlink/simulated-stlink.ts";
import { stlinkSerialNumber } from "./stlink/serial-number.ts";
import { StCa } from "./stsafe/st-ca.ts";
import type { Clock } from "./world/clock.ts";
import type { World } from "./world/world.ts";

export type LinkKind = "inproc" | "pty" | "tcp";

export interface FleetOptions {
  stateDir: string;
  boards: number;
  link: LinkKind;
  /** The boards' surroundings (Wi-Fi, DNS to the cloud twin, trust); a bare world on `clock` otherwise. */
  world?: World;
  clock: Clock;
  /** Firmware profile to flash; boards keep what they last ran when omitted. */
  profile?: string;
  /** Pacing of the serial link in baud; 0 is unpaced. */
  baud?: number;
  /** Watch each board's drive folder as its ST-LINK would (simulator/stlink). Default off. */
  stlink?: boolean;
}

export interface SimulatedBoard {
  board: Board;
  port: BoardPort;
  /** Set for in-process links. */
  stream?: InProcessPort["stream"];
  /** The folder standing for the board's ST-LINK mass-storage drive. */
  drive: string;
  /** The on-board ST-LINK's USB serial number. */
  serialNumber: string;
  /** The ST-LINK watching `drive`, when the fleet was started with `stlink`. */
  stlink?: SimulatedStlink;
}

export class Fleet implements AsyncDisposable {
  private constructor(readonly boards: FleetBoard[]) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const stateDir = resolve(options.stateDir);
    const ca = StCa.openOrCreate(stateDir);
    const fleet = new Fleet([]);
    try {
      for (let i = 1; i <= options.boards; i++) {
        const simulated = await startBoard(`sim-${i}`, stateDir, ca, options);
        fleet.boards.push(simulated);
        if (options.stlink) simulated.stlink = await attachStlink(fleet, simulated);
      }
    } catch (e) {
      await fleet.close();
      throw e;
    }
    return fleet;
  }

  async close(): Promise<void> {
    for (const simulated of this.boards.splice(0)) {
      await simulated.stlink?.close();
      simulated.board.dispose();
      await simulated.port.close();
    }
  }

  /**
   * USB re-enumeration of one board's ST-LINK: its console port closes and, `awayMs` later, opens again
   * at the same tty path or TCP port, as a racked board's does after flashing.
   */
  async reenumerate(id: string, awayMs: number): Promise<void> {
    const simulated = this.boards.find((b) => b.board.id === id);
    if (!simulated) throw new Error(`no simulated board ${id}`);
    await simulated.port.close();
    await new Promise((r) => setTimeout(r, awayMs));
    // The fleet may have closed meanwhile: then the port stays closed.
    if (!this.boards.includes(simulated)) return;
    const reopened = await simulated.reopen();
    simulated.port = reopened.port;
    if (reopened.stream) simulated.stream = reopened.stream;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

type Reopen = () => Promise<{ port: BoardPort; stream?: InProcessPort["stream"] }>;

/** A board as the fleet keeps it: its port can be reopened (re-enumeration). */
interface FleetBoard extends SimulatedBoard {
  reopen: Reopen;
}

async function startBoard(id: string, stateDir: string, ca: StCa, o: FleetOptions): Promise<FleetBoard> {
  const dir = join(stateDir, "boards", id);
  const board = new Board({ id, dir, ca, world: o.world, clock: o.clock });
  if (o.profile !== undefined && o.profile !== board.profile.name) board.flashFirmware(o.profile);
  const drive = join(dir, "drive");
  mkdirSync(drive, { recursive: true });
  const baud = o.baud ?? 0;
  let tcpPort = 0;
  const open: Reopen = async () => {
    if (o.link === "inproc") {
      const port = openInProcessPort(board, baud);
      return { port, stream: port.stream };
    }
    if (o.link === "pty") return { port: await openPtyPort(board, join(stateDir, "tty", id), baud) };
    // The same TCP port again, as ser2net keeps its port when the tty behind it returns.
    const port = await openTcpPort(board, baud, tcpPort);
    tcpPort = Number(new URL(port.path).port);
    return { port };
  };
  const opened = await open();
  const simulated: FleetBoard = {
    board,
    ...opened,
    drive,
    serialNumber: stlinkSerialNumber(board.se.certificateId),
    reopen: open,
  };
  board.powerOn();
  return simulated;
}

function attachStlink(fleet: Fleet, simulated: SimulatedBoard): Promise<SimulatedStlink> {
  const { board } = simulated;
  return SimulatedStlink.attach({
    drive: simulated.drive,
    serialNumber: simulated.serialNumber,
    wiring: {
      program: (profile) => {
        board.powerOff();
        board.flashFirmware(profile);
      },
      release: () => board.powerOn(),
      reset: () => board.reset(),
      reenumerate: (awayMs) => fleet.reenumerate(board.id, awayMs),
    },
  });
}
