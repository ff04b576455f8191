// firmware-shell §2.2: prefix matching in registration order, and a static pointer that is never reset.
import type { Command } from "../cli.ts";
import { HELP_TEXT, type CommandName } from "../help-texts.ts";

const NAMES = Object.keys(HELP_TEXT) as CommandName[];

export const help: Command = (cli, args) => {
  const arg = args[0];
  if (arg !== undefined) cli.help.last = NAMES.find((name) => arg.startsWith(name));
  if (cli.help.last) return cli.out(HELP_TEXT[cli.help.last]);
  cli.out(NAMES.map((n) => HELP_TEXT[n]).join(""));
};
