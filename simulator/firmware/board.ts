// A simulated B-U585I-IOT02A: an MCU running a firmware profile, its STSAFE-A110, its internal flash,
// and the UART behind the ST-LINK virtual COM port. Bytes in through `receive`, out as 'data' events.
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { join } from "node:path";
import type { Clock } from "../world/clock.ts";
import { World } from "../world/world.ts";
import { readJsonState } from "../state-file.ts";
import { AtomicFile, PowerLossDuringWrite } from "../stsafe/atomic-file.ts";
import { SecureElement } from "../stsafe/secure-element.ts";
import type { StCa } from "../stsafe/st-ca.ts";
import { FirmwareRun } from "./firmware-run.ts";
import { DEFAULT_PROFILE, profileNamed, type FirmwareProfile } from "./profiles.ts";

export interface BoardOptions {
  id: string;
  /** The board's own state directory (secure element and internal flash). */
  dir: string;
  ca: StCa;
  /** The board's surroundings; a world of its own on `clock` when omitted (no cloud reachable). */
  world?: World;
  clock?: Clock;
}

interface FlashContents {
  profile: string;
  /** littlefs was formatted by a boot since the last flashing. */
  fileSystem: boolean;
}

export class UnknownProfileError extends Error {
  readonly code = "UNKNOWN_PROFILE";
  readonly fault = "user";
}

export class Board extends EventEmitter<{ data: [Buffer]; boot: []; internalError: [unknown] }> {
  readonly id: string;
  readonly se: SecureElement;
  private readonly flash: AtomicFile;
  readonly world: World;
  private run: FirmwareRun | undefined;
  private readonly errors: unknown[] = [];
  /** Connections of earlier boots, silent since the power went (see FirmwareContext.abandon). */
  private readonly orphans = new Set<Socket>();

  constructor(options: BoardOptions) {
    super();
    this.id = options.id;
    const world = options.world ?? (options.clock && new World({ clock: options.clock }));
    if (!world) throw new TypeError("a board needs a world or a clock");
    this.world = world;
    this.se = SecureElement.openOrManufacture(join(options.dir, "stsafe"), options.ca);
    this.flash = new AtomicFile(join(options.dir, "flash.json"));
  }

  get profile(): FirmwareProfile {
    return profileNamed(this.flashContents().profile) ?? (profileNamed(DEFAULT_PROFILE) as FirmwareProfile);
  }

  /** The thing name the firmware derives from the certificate's CN (§3.5). */
  get thingName(): string {
    const cn = this.se.commonName;
    return this.profile.thingNameKeepsLastChar ? cn : cn.slice(0, -1);
  }

  get poweredOn(): boolean {
    return this.run !== undefined;
  }

  /** Defects of the twin caught while running (a command that threw). Tests assert this stays empty. */
  get internalErrors(): readonly unknown[] {
    return this.errors;
  }

  powerOn(): void {
    if (this.run) return;
    const contents = this.flashContents();
    const run = new FirmwareRun({
      world: this.world,
      se: this.se,
      profile: this.profile,
      fileSystemBlank: !contents.fileSystem,
      transmit: (bytes) => {
        if (this.run === run) this.emit("data", bytes);
      },
      onSelfReset: () => {
        if (this.run === run) this.reset();
      },
      abandon: (socket) => {
        socket.pause();
        socket.removeAllListeners("data");
        this.orphans.add(socket);
        socket.once("close", () => this.orphans.delete(socket));
      },
      onInternalError: (e) => {
        // A write torn by an injected power loss: the board is off, as it would be.
        if (e instanceof PowerLossDuringWrite) return this.powerOff();
        this.errors.push(e);
        this.emit("internalError", e);
      },
    });
    this.run = run;
    if (!contents.fileSystem)
      this.flash.write(Buffer.from(JSON.stringify({ ...contents, fileSystem: true })));
    run.start();
    this.emit("boot");
  }

  powerOff(): void {
    this.run?.stop();
    this.run = undefined;
  }

  /** Off for good: frees what earlier boots left open. */
  dispose(): void {
    this.powerOff();
    for (const s of this.orphans) s.destroy();
    this.orphans.clear();
  }

  /** NRST: the `reset` command, the watchdog, or the ST-LINK's reset line. */
  reset(): void {
    this.powerOff();
    this.powerOn();
  }

  receive(bytes: Buffer): void {
    this.run?.receive(bytes);
  }

  /** Writes a firmware image: the profile changes and the littlefs partition is blank again. */
  flashFirmware(profileName: string): void {
    if (!profileNamed(profileName)) throw new UnknownProfileError(`unknown firmware profile: ${profileName}`);
    this.flash.write(Buffer.from(JSON.stringify({ profile: profileName, fileSystem: false })));
  }

  private flashContents(): FlashContents {
    const stored = readJsonState(this.flash, (json) => {
      const c = json as Partial<FlashContents>;
      if (typeof c.profile !== "string" || typeof c.fileSystem !== "boolean")
        throw new Error("expected profile");
      return c as FlashContents;
    });
    return stored ?? { profile: DEFAULT_PROFILE, fileSystem: false };
  }
}
