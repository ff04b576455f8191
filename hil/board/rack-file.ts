// rack.yaml: the boards of one rack, keyed by their ST-LINK's USB serial number (tty names change on
// re-enumeration; the serial number does not). Validated when loaded: a bad file gets one line naming
// the field.
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { FLASH_METHODS, type FlashMethod } from "../flash/index.ts";
import { RackInvalidError } from "./errors.ts";

export interface RackBoardEntry {
  id: string;
  stlinkSerial: string;
  /** A tty path or tcp://host:port instead of the ST-LINK's own tty. */
  console?: string;
  flash: { method: FlashMethod; drive?: string; command?: string[] };
  /** Shell commands: `cycle`, or `off` then `on`. */
  power?: { cycle?: string; off?: string; on?: string };
  /** How the board is reset: its console's `reset`, the power hook, or the ST-LINK (flash method's tool). */
  reset: "console" | "power" | "probe";
  account?: string;
  /** Known once provisioned: a swapped or re-provisioned board is caught before a test runs. */
  expect?: { thingName?: string; certificateFingerprint?: string };
}

export interface RackConfig {
  /** Where leases live; host-wide so that two runs on one host see each other (default: tmpdir). */
  lockDir?: string;
  boards: RackBoardEntry[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

class Fields {
  constructor(
    private readonly file: string,
    private readonly at: string,
    private readonly o: Json,
    allowed: readonly string[],
  ) {
    const unknown = Object.keys(o).find((k) => !allowed.includes(k));
    if (unknown !== undefined) this.fail(unknown, `unknown field (known: ${allowed.join(", ")})`);
  }

  fail(field: string, why: string): never {
    throw new RackInvalidError(`${this.file}: ${this.at}${this.at ? "." : ""}${field}: ${why}`);
  }

  string(field: string, pattern?: RegExp, patternSays?: string): string | undefined {
    const v = this.o[field];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v.trim() === "") this.fail(field, "must be a non-empty string");
    if (pattern && !pattern.test(v)) this.fail(field, patternSays ?? `must match ${pattern}`);
    return v;
  }

  required(field: string, pattern?: RegExp, patternSays?: string): string {
    return this.string(field, pattern, patternSays) ?? this.fail(field, "is required");
  }

  oneOf<T extends string>(field: string, values: readonly T[], fallback: T): T {
    const v = this.string(field);
    if (v === undefined) return fallback;
    if (!values.includes(v as T)) this.fail(field, `must be one of ${values.join(", ")}, got '${v}'`);
    return v as T;
  }

  object(field: string): Json | undefined {
    const v = this.o[field];
    if (v === undefined) return undefined;
    if (!isObject(v)) this.fail(field, "must be a mapping");
    return v;
  }
}

export function validateRack(json: unknown, file: string): RackConfig {
  if (!isObject(json)) throw new RackInvalidError(`${file}: must be a mapping with a 'boards' list`);
  const top = new Fields(file, "", json, ["lockDir", "boards"]);
  const boards: unknown = json.boards;
  if (!Array.isArray(boards) || boards.length === 0) return top.fail("boards", "must be a non-empty list");
  const seen = new Map<string, string>();
  const config: RackConfig = {
    boards: boards.map((b: unknown, i) => validateBoard(b, file, `boards[${i}]`, seen)),
  };
  const lockDir = top.string("lockDir");
  if (lockDir !== undefined) config.lockDir = lockDir;
  return config;
}

function validateBoard(b: unknown, file: string, at: string, seen: Map<string, string>): RackBoardEntry {
  if (!isObject(b)) throw new RackInvalidError(`${file}: ${at}: must be a mapping`);
  const f = new Fields(file, at, b, [
    "id",
    "stlinkSerial",
    "console",
    "flash",
    "power",
    "reset",
    "account",
    "expect",
  ]);
  const id = f.required("id", /^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_', '-'");
  const stlinkSerial = f.required(
    "stlinkSerial",
    /^[0-9A-Fa-f]{12,32}$/,
    "the ST-LINK's USB serial number (hex)",
  );
  for (const [key, value] of [
    ["id", id],
    ["stlinkSerial", stlinkSerial.toUpperCase()],
  ] as const) {
    const other = seen.get(`${key}:${value}`);
    if (other) f.fail(key, `'${value}' is also ${other}`);
    seen.set(`${key}:${value}`, at);
  }
  const entry: RackBoardEntry = { id, stlinkSerial, flash: { method: "mass-storage" }, reset: "console" };
  const consoleTarget = f.string(
    "console",
    /^(\/|tcp:\/\/[^:/]+:\d+$|COM\d+$)/,
    "a tty path or tcp://host:port",
  );
  if (consoleTarget) entry.console = consoleTarget;
  const flash = f.object("flash");
  if (flash) {
    const ff = new Fields(file, `${at}.flash`, flash, ["method", "drive", "command"]);
    entry.flash.method = ff.oneOf("method", FLASH_METHODS, "mass-storage");
    const drive = ff.string("drive");
    if (drive) entry.flash.drive = drive;
    const command = flash.command;
    if (command !== undefined) {
      if (!Array.isArray(command) || command.length === 0 || command.some((a) => typeof a !== "string"))
        ff.fail(
          "command",
          "must be a non-empty list of strings (argv; {bin}, {serial}, {address} are filled in)",
        );
      if (entry.flash.method === "mass-storage")
        ff.fail("command", "is for cubeprogrammer, openocd or pyocd");
      entry.flash.command = command as string[];
    }
  }
  const power = f.object("power");
  if (power) {
    const pf = new Fields(file, `${at}.power`, power, ["cycle", "off", "on"]);
    const cycle = pf.string("cycle");
    const off = pf.string("off");
    const on = pf.string("on");
    if (!cycle && !(off && on))
      pf.fail(cycle || off ? "on" : "cycle", "give 'cycle', or both 'off' and 'on'");
    entry.power = { ...(cycle ? { cycle } : {}), ...(off ? { off } : {}), ...(on ? { on } : {}) };
  }
  entry.reset = f.oneOf("reset", ["console", "power", "probe"] as const, "console");
  if (entry.reset === "power" && !entry.power) f.fail("reset", "is 'power' but the board has no power hook");
  const account = f.string("account");
  if (account) entry.account = account;
  const expected = f.object("expect");
  if (expected) {
    const ef = new Fields(file, `${at}.expect`, expected, ["thingName", "certificateFingerprint"]);
    const thingName = ef.string("thingName");
    const fingerprint = ef.string(
      "certificateFingerprint",
      /^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/,
      "the certificate's SHA-256 (64 hex digits, colons allowed)",
    );
    entry.expect = {
      ...(thingName ? { thingName } : {}),
      ...(fingerprint ? { certificateFingerprint: fingerprint.replace(/:/g, "").toLowerCase() } : {}),
    };
  }
  return entry;
}

export async function loadRack(file: string): Promise<RackConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new RackInvalidError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let json: unknown;
  try {
    json = parse(text);
  } catch (e) {
    throw new RackInvalidError(`${file}: not YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  return validateRack(json, file);
}
