// Drag-and-drop flashing: copy the .bin to the ST-LINK's mass-storage drive, wait until the drive has
// unmounted and come back without the file (it was taken and programmed), then read FAIL.TXT if any.
// The drive may come back at another mount point on some hosts, so it can be looked up again each poll.
import { existsSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, join } from "node:path";
import { DriveNotFoundError, FlashAbortedError, FlashFailedError, FlashTimeoutError } from "./errors.ts";
import type { FirmwareImage, Flasher, FlashOptions, FlashReport } from "./flasher.ts";

export interface MassStorageOptions {
  /** The drive's mount point, or a lookup (e.g. discovery by the ST-LINK's serial number). */
  drive: string | (() => Promise<string | undefined>);
  /** How often the drive is looked at while waiting for the remount (default 100 ms). */
  pollMs?: number;
}

const DETAILS = "DETAILS.TXT";
const FAIL = "FAIL.TXT";

export class MassStorageFlasher implements Flasher {
  readonly method = "mass-storage" as const;

  constructor(private readonly o: MassStorageOptions) {}

  async flash(image: FirmwareImage, options: FlashOptions = {}): Promise<FlashReport> {
    const started = performance.now();
    const timeoutMs = options.timeoutMs ?? 60_000;
    const drive = await this.drive();
    if (drive === undefined || !existsSync(join(drive, DETAILS))) {
      throw new DriveNotFoundError(
        `${drive ?? "the board's drive"} is not a mounted ST-LINK drive (no ${DETAILS}); check the mount or the rack's flash.drive`,
      );
    }
    // The ST-LINK takes .bin files by their extension.
    const name = basename(image.path).replace(/(\.bin)?$/i, ".bin");
    await writeThrough(join(drive, name), image.bytes);
    for (;;) {
      if (options.signal?.aborted) throw new FlashAbortedError(`flashing through ${drive} aborted`);
      const now = await this.drive();
      if (now !== undefined && existsSync(join(now, DETAILS)) && !existsSync(join(now, name))) {
        const fail = join(now, FAIL);
        if (existsSync(fail)) {
          const text = readFileSync(fail, "utf8").trim();
          throw new FlashFailedError(`the ST-LINK refused ${basename(image.path)}: FAIL.TXT says "${text}"`);
        }
        return { method: this.method, detail: `copied to ${now}`, elapsedMs: performance.now() - started };
      }
      const elapsed = performance.now() - started;
      if (elapsed > timeoutMs) {
        throw new FlashTimeoutError(
          `${drive} did not take ${name} and remount within ${timeoutMs} ms` +
            (now !== undefined && existsSync(join(now, name)) ? " (the file is still there)" : ""),
        );
      }
      // The drive tells nothing but its files: look again shortly, within the deadline above.
      await new Promise((r) => setTimeout(r, Math.min(this.o.pollMs ?? 100, timeoutMs - elapsed)));
    }
  }

  private async drive(): Promise<string | undefined> {
    const d = this.o.drive;
    return typeof d === "string" ? d : d();
  }
}

/** The whole file reaches the device before the wait starts: a cached write would look like a slow ST-LINK. */
async function writeThrough(path: string, bytes: Buffer): Promise<void> {
  const file = await open(path, "w");
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
}
