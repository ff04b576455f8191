// The on-board ST-LINK V3's mass-storage side, over a folder that stands for its drive. A .bin copied
// there is checked as the ST-LINK checks it; a good one is programmed: the drive unmounts, the MCU is
// held in reset and written, USB re-enumerates (the console port goes away and comes back), the MCU
// boots the image's firmware. A bad one leaves FAIL.TXT after the remount. The secure element is not
// touched: programming writes the MCU's flash only.
import { watch, type FSWatcher } from "node:fs";
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { checkImage } from "../../stm32-image/index.ts";
import {
  DETAILS_FILE,
  FAIL_FILE,
  isDriveOwnFile,
  mountedFiles,
  RESET_REQUEST_FILE,
} from "./drive-contents.ts";
import { failText, RESET_HALT_FAILED } from "./fail-texts.ts";
import { profileForImage, type ImageIdentity } from "./image-profile.ts";

/** What the ST-LINK is wired to: the MCU's reset line and flash, and its own USB connection. */
export interface StlinkWiring {
  /** NRST held low and the flash written with the image's firmware. */
  program(profile: string): void;
  /** NRST released: the MCU boots. */
  release(): void;
  /** A reset through the debug port: the MCU restarts, USB stays. */
  reset(): void;
  /** USB re-enumeration: the virtual COM port goes away for `awayMs` and comes back. */
  reenumerate(awayMs: number): Promise<void>;
}

export interface SimulatedStlinkOptions {
  drive: string;
  serialNumber: string;
  wiring: StlinkWiring;
  /** How long the console port is gone while programming (default 300 ms; real ST-LINKs take 1–3 s). */
  usbAwayMs?: number;
  /** How long the drive is unmounted while programming (default 300 ms). */
  driveAwayMs?: number;
  /** A copied file is taken once it has not changed for this long (default 150 ms). */
  settleMs?: number;
}

export type ProgrammingOutcome =
  { ok: true; file: string; identity: ImageIdentity } | { ok: false; file: string; failText: string };

export class SimulatedStlink implements AsyncDisposable {
  readonly drive: string;
  readonly serialNumber: string;
  /** Test control: how long the console port stays away in the next programmings. */
  usbAwayMs: number;
  driveAwayMs: number;
  /** Every programming attempt, oldest first. */
  readonly outcomes: ProgrammingOutcome[] = [];
  /** How many resets the fake probe tools asked for. */
  resets = 0;
  private injected: string | undefined;
  private watcher: FSWatcher | undefined;
  private settle: NodeJS.Timeout | undefined;
  private work: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly o: SimulatedStlinkOptions) {
    this.drive = o.drive;
    this.serialNumber = o.serialNumber;
    this.usbAwayMs = o.usbAwayMs ?? 300;
    this.driveAwayMs = o.driveAwayMs ?? 300;
  }

  /** Mounts the drive (its own files) and starts watching it for copied images. */
  static async attach(o: SimulatedStlinkOptions): Promise<SimulatedStlink> {
    const stlink = new SimulatedStlink(o);
    await stlink.mount(undefined);
    stlink.watcher = watch(o.drive, () => stlink.changed());
    stlink.watcher.on("error", () => {});
    // Something may already sit on the drive (copied while no simulation ran).
    stlink.changed();
    return stlink;
  }

  /** Test control: the next programming fails as a probe that cannot halt the MCU does. */
  failNext(text: string = RESET_HALT_FAILED): void {
    this.injected = text;
  }

  /** Resolves once every copied file seen so far has been handled. */
  idle(): Promise<void> {
    return this.work;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.settle);
    this.watcher?.close();
    await this.work;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private changed(): void {
    if (this.closed) return;
    // A copy arrives in many writes; take the file once they stop.
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.work = this.work.then(() => this.scan()).catch(() => {});
    }, this.o.settleMs ?? 150);
  }

  private async scan(): Promise<void> {
    if (this.closed) return;
    const all = await readdir(this.drive);
    if (all.includes(RESET_REQUEST_FILE)) {
      this.o.wiring.reset();
      this.resets++;
      // Removed after the reset: the fake tool that asked waits for it to go.
      await rm(join(this.drive, RESET_REQUEST_FILE), { force: true });
    }
    const names = all.filter((n) => !isDriveOwnFile(n) && !n.startsWith("."));
    const images = names.filter((n) => /\.(bin|hex)$/i.test(n));
    const file = images[0];
    if (file === undefined) return;
    // Still growing: wait for the next change event.
    const before = await stat(join(this.drive, file));
    await new Promise((r) => setTimeout(r, this.o.settleMs ?? 150));
    const after = await stat(join(this.drive, file)).catch(() => undefined);
    if (!after || after.size !== before.size || after.mtimeMs !== before.mtimeMs) return this.changed();
    const outcome = await this.program(file);
    this.outcomes.push(outcome);
    if (images.length > 1) this.changed();
  }

  private async program(file: string): Promise<ProgrammingOutcome> {
    const image = await readFile(join(this.drive, file));
    // The drive unmounts: the host sees none of its files until the remount.
    await this.unmount();
    const injected = this.injected;
    this.injected = undefined;
    let outcome: ProgrammingOutcome;
    if (injected !== undefined) outcome = { ok: false, file, failText: injected };
    else if (/\.hex$/i.test(file)) {
      outcome = { ok: false, file, failText: failText("HEX_UNSUPPORTED", "only .bin images are simulated") };
    } else {
      const verdict = checkImage(image);
      outcome = verdict.ok
        ? { ok: true, file, identity: profileForImage(image) }
        : { ok: false, file, failText: failText(verdict.problem, verdict.reason) };
    }
    if (outcome.ok) this.o.wiring.program(outcome.identity.profile);
    // The drive and the console port come back independently: a host may see the drive long before
    // the tty (udev, a slow hub), which is what `usbAwayMs` lets a test stretch.
    const usb = this.o.wiring.reenumerate(this.usbAwayMs).finally(() => {
      if (outcome.ok) this.o.wiring.release();
    });
    await new Promise((r) => setTimeout(r, this.driveAwayMs));
    await this.mount(outcome.ok ? undefined : outcome.failText);
    await usb.catch(() => {});
    return outcome;
  }

  // A real drive comes and goes at once; here DETAILS.TXT is the "mounted" flag a host can rely on:
  // removed first on unmount, written last on remount.
  private async unmount(): Promise<void> {
    await rm(join(this.drive, DETAILS_FILE), { force: true });
    for (const name of await readdir(this.drive)) {
      await rm(join(this.drive, name), { recursive: true, force: true });
    }
  }

  private async mount(fail: string | undefined): Promise<void> {
    if (fail !== undefined) await writeFile(join(this.drive, FAIL_FILE), `${fail}\r\n`);
    else await rm(join(this.drive, FAIL_FILE), { force: true });
    const files = Object.entries(mountedFiles(this.serialNumber));
    files.sort(([a], [b]) => Number(a === DETAILS_FILE) - Number(b === DETAILS_FILE));
    for (const [name, text] of files) await writeFile(join(this.drive, name), text);
  }
}
