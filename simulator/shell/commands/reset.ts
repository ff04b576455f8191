// firmware-shell §2.9: the MAR binary calls NVIC_SystemReset directly; the reference build logs first.
import type { Command } from "../cli.ts";

export const reset: Command = async (cli) => {
  cli.out("Resetting device.");
  if (cli.profile.resetLogsSystemReset) cli.log("SYS", "System Reset in progress.", "freertos_hooks.c:86");
  await cli.work(100);
  cli.reset();
};
