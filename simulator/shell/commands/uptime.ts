// firmware-shell §2.10.
import type { Command } from "../cli.ts";

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

export const uptime: Command = (cli) => {
  const ms = cli.uptimeMs() % 0x100000000;
  const s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  cli.out(
    `up ${days} day(s) ${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(ms % 1000, 3)}\r\n`,
  );
};
