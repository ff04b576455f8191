// After flashing: the console port comes back (USB re-enumeration), then the new firmware proves it
// boots. Output printed while the port was away is lost on hardware as in the twin, so the banner is
// not awaited by luck: the board is reset from its console and the boot is watched from its first line.
import {
  BoardConsole,
  linkFor,
  reopenWithin,
  type LinkTarget,
  type SerialPortLinkOptions,
} from "../console/index.ts";
import { NoBootAfterFlashError } from "./errors.ts";

export interface AwaitBootOptions {
  /** For tty targets: the USB serial number that finds the tty again under a new name. */
  serial?: SerialPortLinkOptions;
  /** How long the port may stay away (default 30 s). */
  portTimeoutMs?: number;
  /** From `reset` to the banner (default 20 s). */
  bootTimeoutMs?: number;
  signal?: AbortSignal;
  /** Resets the board instead of the console's `reset` (rack.yaml `reset: probe`). */
  reset?: (signal?: AbortSignal) => Promise<unknown>;
}

export interface BootReport {
  target: string;
  /** How long the port took to come back, and how many attempts. */
  portBackMs: number;
  attempts: number;
  /** The first boot line seen after the reset (firmware-shell §6.1). */
  banner: string;
}

/** The first line the firmware logs after reset (§6.1). */
export const BOOT_BANNER = /HW Init Complete\./;

export async function awaitBoot(target: LinkTarget, o: AwaitBootOptions = {}): Promise<BootReport> {
  const link = linkFor(target, o.serial);
  const back = await reopenWithin(link, { timeoutMs: o.portTimeoutMs ?? 30_000, signal: o.signal });
  await using console = await BoardConsole.open(link, { serial: o.serial, reopenTimeoutMs: o.portTimeoutMs });
  const wait = { timeoutMs: o.bootTimeoutMs ?? 20_000, signal: o.signal };
  const mark = console.mark();
  // A probe reset that fails (tool missing, probe refused) keeps its own error: it says what to fix.
  if (o.reset) await o.reset(o.signal);
  try {
    if (!o.reset) {
      const reply = await console.command("reset", wait);
      if (reply.lines[0] !== "Resetting device.")
        throw new Error(`reset answered ${JSON.stringify(reply.text)}`);
    }
    const seen = await console.expect(BOOT_BANNER, { ...wait, since: mark, channel: "logs" });
    return {
      target: back.target,
      portBackMs: back.waitedMs,
      attempts: back.attempts,
      banner: seen.line.text,
    };
  } catch (e) {
    throw new NoBootAfterFlashError(
      `${link.target} came back but the new firmware did not boot: ${(e as Error).message.split("\n")[0]}`,
    );
  }
}
