// `Task_CLI`: the command table in registration order and the read-execute loop (firmware-shell §2).
import type { Cli, Command } from "./cli.ts";
import { splitArgs } from "./cli.ts";
import type { CommandName } from "./help-texts.ts";
import { assertCommand } from "./commands/assert.ts";
import { conf } from "./commands/conf.ts";
import { heapstat } from "./commands/heapstat.ts";
import { help } from "./commands/help.ts";
import { kill, killall } from "./commands/kill.ts";
import { pki } from "./commands/pki.ts";
import { ps } from "./commands/ps.ts";
import { reset } from "./commands/reset.ts";
import { rngtest } from "./commands/rngtest.ts";
import { uptime } from "./commands/uptime.ts";

export const COMMANDS: Readonly<Record<CommandName, Command>> = {
  help,
  conf,
  pki,
  ps,
  kill,
  killall,
  heapstat,
  reset,
  uptime,
  rngtest,
  assert: assertCommand,
};

const NOT_RECOGNIZED = "Command not recognized. Enter 'help' to view a list of available commands.\r\n";

/** The first word must be exactly a command name, followed by a space or the end of the line (§1.3). */
export function findCommand(line: string): Command | undefined {
  const name = (Object.keys(COMMANDS) as CommandName[]).find((n) => line === n || line.startsWith(`${n} `));
  return name && COMMANDS[name];
}

export async function execute(cli: Cli, line: string): Promise<void> {
  const command = findCommand(line);
  if (!command) return cli.out(NOT_RECOGNIZED);
  await command(cli, splitArgs(line).slice(1));
}

/** Reads and executes lines until the boot ends; a silently discarded line just re-prompts. */
export async function runShell(cli: Cli): Promise<never> {
  for (;;) {
    const line = await cli.readLine();
    if (line !== null) await execute(cli, line);
  }
}
