// firmware-shell §2.6–§2.7: `kill` and `killall` never print anything.
import type { Cli, Command } from "../cli.ts";
import { strtoul } from "../cli.ts";
import { SIGNALS, type Task } from "../../firmware/tasks.ts";

/** An optional `-SIGNAME` / `-n` first argument; SIGTERM when absent or not understood (INFERRED). */
function parseSignal(args: string[]): { signal: number; target: string | undefined } {
  const [first, second] = args;
  if (first === undefined || !first.startsWith("-"))
    return { signal: SIGNALS.SIGTERM as number, target: first };
  const name = first.slice(1);
  const parsed = /^[0-9]/.test(name) ? strtoul(name, 10).value : SIGNALS[name];
  return { signal: parsed || (SIGNALS.SIGTERM as number), target: second };
}

/**
 * A handle of NULL makes FreeRTOS act on the calling task, so `kill 999` suspends or deletes the
 * CLI itself and the console stops accepting input (§2.6, INFERRED).
 */
function deliver(cli: Cli, task: Task | undefined, signal: number): void {
  cli.tasks.signal(task ?? (cli.tasks.byName("cli") as Task), signal);
}

export const kill: Command = (cli, args) => {
  const { signal, target } = parseSignal(args);
  if (target === undefined) return;
  deliver(cli, cli.tasks.byId(strtoul(target, 10).value), signal);
};

export const killall: Command = (cli, args) => {
  const { signal, target } = parseSignal(args);
  if (target === undefined) return;
  const task = cli.tasks.byName(target);
  if (task) deliver(cli, task, signal);
};
