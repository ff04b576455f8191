// A simulated board on a manual clock with its whole console output recorded: the fixture of the
// byte-exact transcript tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Board } from "../../simulator/firmware/board.ts";
import { StCa } from "../../simulator/stsafe/st-ca.ts";
import { ManualClock } from "../../simulator/world/clock.ts";

/** Everything of the boot has been printed by then (the Wi-Fi module lines come at tick 5185). */
export const BOOTED_MS = 6000;

export class BoardHarness {
  readonly clock = new ManualClock();
  board: Board;
  private output = "";
  private mark = 0;

  private constructor(
    readonly stateDir: string,
    private readonly profile?: string,
  ) {
    this.board = this.makeBoard();
  }

  /** A new board in a fresh state directory, powered on and booted to an idle prompt. */
  static async booted(options: { profile?: string; stateDir?: string } = {}): Promise<BoardHarness> {
    const h = new BoardHarness(
      options.stateDir ?? mkdtempSync(join(tmpdir(), "mar-hil-board-")),
      options.profile,
    );
    h.board.powerOn();
    await h.clock.advance(BOOTED_MS);
    h.take();
    return h;
  }

  private makeBoard(): Board {
    const board = new Board({
      id: "sim-1",
      dir: join(this.stateDir, "boards", "sim-1"),
      ca: StCa.openOrCreate(this.stateDir),
      clock: this.clock,
    });
    if (this.profile && board.profile.name !== this.profile) board.flashFirmware(this.profile);
    board.on("data", (bytes) => (this.output += bytes.toString("latin1")));
    return board;
  }

  /** Host-to-board bytes (latin1), then `ms` of simulated time. */
  async send(text: string | Buffer, ms = 0): Promise<void> {
    this.board.receive(typeof text === "string" ? Buffer.from(text, "latin1") : text);
    await this.clock.advance(ms);
  }

  /** Types a command line ended by CR and returns what the board printed within `ms`. */
  async command(line: string, ms = 500): Promise<string> {
    this.take();
    await this.send(`${line}\r`, ms);
    return this.take();
  }

  /** Output since the last call. */
  take(): string {
    const text = this.output.slice(this.mark);
    this.mark = this.output.length;
    return text;
  }

  get transcript(): string {
    return this.output;
  }

  /** Power off, then a new process opening the same state directory (a power cycle). */
  async powerCycle(ms = BOOTED_MS): Promise<void> {
    this.board.dispose();
    if (this.board.internalErrors.length > 0) throw this.board.internalErrors[0];
    this.board.removeAllListeners();
    this.board = this.makeBoard();
    this.board.powerOn();
    await this.clock.advance(ms);
    this.take();
  }

  /** Also fails the test if the twin hit a defect of its own while running. */
  dispose(): void {
    this.board.dispose();
    if (this.board.internalErrors.length > 0) throw this.board.internalErrors[0];
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
