// A rack as a run uses it: its boards looked up on USB by ST-LINK serial number, acquired under a lease
// (`await using board = await rack.acquire(id)`), each with its console, flasher, power and reset.
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SerialPortLinkOptions } from "../console/index.ts";
import {
  MassStorageFlasher,
  ProbeReset,
  ToolFlasher,
  type Flasher,
  type FlashMethod,
} from "../flash/index.ts";
import { findStlinks } from "./discover.ts";
import { BoardNotConnectedError, BoardQuarantinedError, BoardUnknownError } from "./errors.ts";
import { HookPowerSwitch } from "./hook-power.ts";
import { checkIdentity, type ObservedIdentity } from "./identity-check.ts";
import { Lease, type LeaseOptions } from "./lease.ts";
import type { PowerSwitch } from "./power-switch.ts";
import { quarantine, quarantined } from "./quarantine.ts";
import type { RecoveryTarget } from "./recovery.ts";
import { loadRack, type RackBoardEntry, type RackConfig } from "./rack-file.ts";
import type { StlinkDevice, UsbSource } from "./usb-listing.ts";

export interface RackOptions {
  usb: UsbSource;
  /** Environment of the flashing tools and hooks (PATH); the process's by default. */
  env?: NodeJS.ProcessEnv;
}

export type AcquireOptions = Omit<LeaseOptions, "dir">;

export class Rack {
  readonly lockDir: string;

  constructor(
    readonly file: string,
    readonly config: RackConfig,
    private readonly o: RackOptions,
  ) {
    this.lockDir = config.lockDir ?? join(tmpdir(), "mar-hil-locks");
  }

  static async load(file: string, o: RackOptions): Promise<Rack> {
    return new Rack(file, await loadRack(file), o);
  }

  entry(id: string): RackBoardEntry {
    const entry = this.config.boards.find((b) => b.id === id);
    if (!entry) {
      throw new BoardUnknownError(
        `${this.file} has no board '${id}' (boards: ${this.config.boards.map((b) => b.id).join(", ")})`,
      );
    }
    return entry;
  }

  /** The board's ST-LINK as USB shows it now; undefined when not attached. */
  async device(entry: RackBoardEntry): Promise<StlinkDevice | undefined> {
    const serial = entry.stlinkSerial.toUpperCase();
    return findStlinks(await this.o.usb()).find((d) => d.serialNumber === serial);
  }

  /** Leases the board for this run; refuses a quarantined board. */
  async acquire(id: string, o: AcquireOptions = {}): Promise<RackBoard> {
    const entry = this.entry(id);
    const q = quarantined(this.lockDir, id);
    if (q) {
      throw new BoardQuarantinedError(
        `${id} is quarantined since ${q.since}: ${q.reason}; clear with rm ${join(this.lockDir, `${id}.quarantine`)}`,
      );
    }
    const lease = await Lease.acquire(id, { ...o, dir: this.lockDir });
    return new RackBoard(this, entry, lease, this.o.env);
  }
}

export class RackBoard implements AsyncDisposable {
  readonly power: PowerSwitch | undefined;
  /** The reset through the ST-LINK when the rack says `reset: probe`. */
  readonly probeReset: ProbeReset | undefined;

  constructor(
    private readonly rack: Rack,
    readonly entry: RackBoardEntry,
    readonly lease: Lease,
    private readonly env: NodeJS.ProcessEnv | undefined,
  ) {
    this.power = entry.power ? new HookPowerSwitch(entry, entry.power) : undefined;
    this.probeReset =
      entry.reset === "probe"
        ? new ProbeReset({
            method: entry.flash.method,
            serialNumber: entry.stlinkSerial,
            ...(env ? { env } : {}),
          })
        : undefined;
  }

  /** What resets the board to watch it boot: the probe, or (undefined) the console's `reset`. */
  get bootReset(): ((signal?: AbortSignal) => Promise<unknown>) | undefined {
    const probe = this.probeReset;
    return probe ? (signal) => probe.reset(signal) : undefined;
  }

  get id(): string {
    return this.entry.id;
  }

  /** What the console opens: the rack's override, else the ST-LINK's tty (found again by serial number). */
  async console(): Promise<{ target: string; serial?: SerialPortLinkOptions }> {
    if (this.entry.console) return { target: this.entry.console };
    const device = await this.rack.device(this.entry);
    if (!device?.tty) throw this.notConnected("no virtual COM port");
    return { target: device.tty, serial: { serialNumber: this.entry.stlinkSerial } };
  }

  flasher(method: FlashMethod = this.entry.flash.method): Flasher {
    this.lease.assertHeld();
    if (method !== "mass-storage") {
      return new ToolFlasher({
        method,
        serialNumber: this.entry.stlinkSerial,
        ...(this.entry.flash.command && method === this.entry.flash.method
          ? { command: this.entry.flash.command }
          : {}),
        ...(this.env ? { env: this.env } : {}),
      });
    }
    const fixed = this.entry.flash.drive;
    // The drive may come back at another mount point after programming: look it up by serial each time.
    return new MassStorageFlasher({
      drive: fixed ?? (async () => (await this.rack.device(this.entry))?.drive),
    });
  }

  checkIdentity(seen: ObservedIdentity): void {
    checkIdentity(this.entry, seen);
  }

  /** What `recoverOrQuarantine` needs: the power hook, else the probe's reset. */
  get recovery(): RecoveryTarget {
    return {
      id: this.id,
      lockDir: this.rack.lockDir,
      ...(this.power ? { power: this.power } : {}),
      ...(this.probeReset ? { reset: this.probeReset } : {}),
    };
  }

  quarantine(reason: string): void {
    quarantine(this.rack.lockDir, this.id, reason);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.lease.release();
  }

  private notConnected(what: string): BoardNotConnectedError {
    return new BoardNotConnectedError(
      `${this.id}: ST-LINK ${this.entry.stlinkSerial} is not attached or has ${what}; run 'mar-hil boards' to see what is`,
    );
  }
}
