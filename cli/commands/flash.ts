// `mar-hil flash`: check a .bin, write it to a rack board (under its lease) or to an ST-LINK drive,
// and — for a rack board — wait for its console port to come back and see the new firmware boot.
import { Rack } from "../../hil/board/index.ts";
import {
  FLASH_METHODS,
  flashBoard,
  MassStorageFlasher,
  type FlashBoardReport,
  type FlashMethod,
} from "../../hil/flash/index.ts";
import { parseOptions } from "../args.ts";
import { UsageError } from "../usage-error.ts";
import { usbSource } from "../usb-source.ts";

const HELP = `usage: mar-hil flash --bin FILE (--board ID --rack FILE | --drive DIR) [--method METHOD] [--json]

Checks the image (at most 2 MB, initial stack pointer in SRAM, Thumb reset vector in flash) and writes
it. With --board/--rack the board is leased first, flashed by the rack's method, then its console port
is awaited (re-enumeration) and a reset (from the console, or the probe's with reset: probe) must
show the boot banner. With --drive the image is copied to that ST-LINK drive and FAIL.TXT is checked.

  --bin FILE      the firmware image (.bin)
  --board ID      a board of the rack
  --rack FILE     rack.yaml
  --drive DIR     an ST-LINK mass-storage drive (mount point, or a simulated board's drive folder)
  --method M      ${FLASH_METHODS.join(" | ")} (default: the rack's, or mass-storage)
  --json          one JSON object on stdout`;

export async function flash(argv: string[]): Promise<number> {
  const o = parseOptions(argv, {
    bin: { type: "string" },
    board: { type: "string" },
    rack: { type: "string" },
    drive: { type: "string" },
    method: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (o.bin === undefined) throw new UsageError("--bin FILE is required");
  const method = o.method as FlashMethod | undefined;
  if (method !== undefined && !FLASH_METHODS.includes(method)) {
    throw new UsageError(`--method must be one of ${FLASH_METHODS.join(", ")}, got '${o.method}'`);
  }
  const byRack = o.board !== undefined || o.rack !== undefined;
  if (byRack === (o.drive !== undefined) || (byRack && (o.board === undefined || o.rack === undefined))) {
    throw new UsageError("give either --board ID --rack FILE, or --drive DIR");
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const report =
      o.drive !== undefined
        ? await toDrive(o.bin, o.drive, method, stop.signal)
        : await toRackBoard(o.bin, o.board as string, o.rack as string, method, stop.signal);
    if (o.json) process.stdout.write(`${JSON.stringify({ event: "flash", ...report })}\n`);
    else process.stdout.write(humanText(report));
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function toDrive(
  bin: string,
  drive: string,
  method: FlashMethod | undefined,
  signal: AbortSignal,
): Promise<FlashBoardReport> {
  if (method !== undefined && method !== "mass-storage") {
    throw new UsageError(`--method ${method} needs the probe's serial number: use --board ID --rack FILE`);
  }
  return flashBoard(bin, { flasher: new MassStorageFlasher({ drive }), signal });
}

async function toRackBoard(
  bin: string,
  id: string,
  rackFile: string,
  method: FlashMethod | undefined,
  signal: AbortSignal,
): Promise<FlashBoardReport & { board: string }> {
  const rack = await Rack.load(rackFile, { usb: usbSource() });
  // Released on every way out, Ctrl-C included (the signal unwinds the wait in progress).
  await using board = await rack.acquire(id, { owner: `mar-hil flash (pid ${process.pid})`, signal });
  const console = await board.console();
  const report = await flashBoard(bin, {
    flasher: board.flasher(method),
    console: console.target,
    ...(console.serial ? { serial: console.serial } : {}),
    ...(board.bootReset ? { reset: board.bootReset } : {}),
    signal,
  });
  board.lease.assertHeld();
  return { board: id, ...report };
}

function humanText(r: FlashBoardReport & { board?: string }): string {
  const lines = [
    `flashed ${r.image.path} (${r.image.bytes} bytes, md5 ${r.image.md5})${r.board ? ` to ${r.board}` : ""}`,
    `  ${r.flash.method}: ${r.flash.detail} (${Math.round(r.flash.elapsedMs)} ms)`,
  ];
  if (r.boot) {
    lines.push(`  console ${r.boot.target} back after ${Math.round(r.boot.portBackMs)} ms`);
    lines.push(`  booted: ${r.boot.banner}`);
  }
  return `${lines.join("\n")}\n`;
}
