// firmware-shell §2.12: flush the logs, print the ASR line, hang until the watchdog bites.
import type { Command } from "../cli.ts";

export const assertCommand: Command = async (cli) => {
  cli.console.flushLogs();
  cli.log("ASR", "Assertion failed.", "cli_utils.c:667");
  cli.console.flushLogs();
  await cli.fault();
};
