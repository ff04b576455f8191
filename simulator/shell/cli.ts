// What a console command can reach on the board: the boundary between the shell and the firmware.
import type { LogLevel } from "../firmware/log-line.ts";
import type { KeyValueStore } from "../firmware/key-value-store.ts";
import type { FirmwareProfile } from "../firmware/profiles.ts";
import type { TaskTable } from "../firmware/tasks.ts";
import type { SecureElement } from "../stsafe/secure-element.ts";
import type { Console, ReadResult } from "./console.ts";
import type { CommandName } from "./help-texts.ts";

export interface Cli {
  readonly console: Console;
  readonly kv: KeyValueStore;
  readonly se: SecureElement;
  readonly profile: FirmwareProfile;
  readonly tasks: TaskTable;
  /** `help`'s static pointer, which survives between calls until reset (§2.2). */
  readonly help: { last: CommandName | undefined };
  out(text: string): void;
  readLine(): Promise<ReadResult>;
  /** A log line from the `cli` task. */
  log(level: LogLevel, message: string, source: string): void;
  /** The CLI task is blocked for `ms` (STSAFE I/O, delays); input waits in the receive stream. */
  work(ms: number): Promise<void>;
  /** Milliseconds since the scheduler started. */
  uptimeMs(): number;
  /** NVIC_SystemReset. */
  reset(): void;
  /** A HardFault: the CPU spins until the independent watchdog resets the board (§2.12). */
  fault(): Promise<never>;
}

export type Command = (cli: Cli, args: string[]) => Promise<void> | void;

/** `FreeRTOS_CLIGetParameter`: arguments are separated by runs of spaces only (§1.3). */
export function splitArgs(line: string): string[] {
  return line.split(" ").filter((t) => t.length > 0);
}

/** C `strtoul` on a 32-bit target: leading whitespace, a sign, digits up to the first non-digit. */
export function strtoul(text: string, base: 0 | 10): { value: number; digits: number } {
  let s = text.replace(/^[\t\n\v\f\r ]+/, "");
  let negative = false;
  if (s[0] === "+" || s[0] === "-") {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  let radix: number = base === 0 ? 10 : base;
  if (base === 0 && /^0[xX][0-9a-fA-F]/.test(s)) {
    radix = 16;
    s = s.slice(2);
  } else if (base === 0 && s.startsWith("0")) radix = 8;
  let value = 0n;
  let digits = 0;
  for (const ch of s) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= radix) break;
    value = value * BigInt(radix) + BigInt(d);
    digits++;
  }
  if (value > 0xffffffffn) return { value: 0xffffffff, digits };
  const n = Number(value);
  return { value: negative ? (0x100000000 - n) % 0x100000000 : n, digits };
}
