// A set of simulated boards sharing one state directory, each exposed on a link (in-process, PTY, TCP).
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Board } from "./firmware/board.ts";
import type { BoardPort } from "./link/board-port.ts";
import { openInProcessPort, type InProcessPort } from "./link/in-process.ts";
import { openPtyPort } from "./link/pty.ts";
import { openTcpPort } from "./link/tcp.ts";
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
}

export interface SimulatedBoard {
  board: Board;
  port: BoardPort;
  /** Set for in-process links. */
  stream?: InProcessPort["stream"];
  /** The folder standing for the board's ST-LINK mass-storage drive. */
  drive: string;
}

export class Fleet implements AsyncDisposable {
  private constructor(readonly boards: SimulatedBoard[]) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const stateDir = resolve(options.stateDir);
    const ca = StCa.openOrCreate(stateDir);
    const fleet = new Fleet([]);
    try {
      for (let i = 1; i <= options.boards; i++) {
        fleet.boards.push(await startBoard(`sim-${i}`, stateDir, ca, options));
      }
    } catch (e) {
      await fleet.close();
      throw e;
    }
    return fleet;
  }

  async close(): Promise<void> {
    for (const { board, port } of this.boards.splice(0)) {
      board.powerOff();
      await port.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

async function startBoard(id: string, stateDir: string, ca: StCa, o: FleetOptions): Promise<SimulatedBoard> {
  const dir = join(stateDir, "boards", id);
  const board = new Board({ id, dir, ca, world: o.world, clock: o.clock });
  if (o.profile !== undefined && o.profile !== board.profile.name) board.flashFirmware(o.profile);
  const drive = join(dir, "drive");
  mkdirSync(drive, { recursive: true });
  const baud = o.baud ?? 0;
  let simulated: SimulatedBoard;
  if (o.link === "inproc") {
    const port = openInProcessPort(board, baud);
    simulated = { board, port, stream: port.stream, drive };
  } else {
    const port =
      o.link === "pty"
        ? await openPtyPort(board, join(stateDir, "tty", id), baud)
        : await openTcpPort(board, baud);
    simulated = { board, port, drive };
  }
  board.powerOn();
  return simulated;
}
