// The whole flashing step: check the image, write it with the board's flasher, and — when the board's
// console is known — wait for the port to come back and see the new firmware boot.
import type { LinkTarget, SerialPortLinkOptions } from "../console/index.ts";
import { awaitBoot, type AwaitBootOptions, type BootReport } from "./await-boot.ts";
import type { Flasher, FlashReport } from "./flasher.ts";
import { loadImage } from "./image-file.ts";

export interface FlashBoardOptions {
  flasher: Flasher;
  /** The board's console; without it the boot is not checked. */
  console?: LinkTarget;
  serial?: SerialPortLinkOptions;
  /** Flashing itself (default 120 s). */
  flashTimeoutMs?: number;
  /** How long the console port may stay away after flashing (default 30 s). */
  portTimeoutMs?: number;
  bootTimeoutMs?: number;
  signal?: AbortSignal;
  /** How the board is reset to see it boot; the console's `reset` by default. */
  reset?: AwaitBootOptions["reset"];
}

export interface FlashBoardReport {
  image: { path: string; bytes: number; md5: string };
  flash: FlashReport;
  boot?: BootReport;
}

export async function flashBoard(bin: string, o: FlashBoardOptions): Promise<FlashBoardReport> {
  const image = await loadImage(bin);
  const flash = await o.flasher.flash(image, { timeoutMs: o.flashTimeoutMs ?? 120_000, signal: o.signal });
  const report: FlashBoardReport = {
    image: { path: image.path, bytes: image.bytes.length, md5: image.md5 },
    flash,
  };
  if (o.console !== undefined) {
    report.boot = await awaitBoot(o.console, {
      serial: o.serial,
      portTimeoutMs: o.portTimeoutMs,
      bootTimeoutMs: o.bootTimeoutMs,
      signal: o.signal,
      ...(o.reset ? { reset: o.reset } : {}),
    });
  }
  return report;
}
