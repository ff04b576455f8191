// firmware-shell §2.11: 64-byte entropy blocks, base64 back to back, then DONE.
import { randomBytes } from "node:crypto";
import type { Command } from "../cli.ts";
import { strtoul } from "../cli.ts";

const BLOCK = 64;
/** One 88-character block on the wire at 115200 baud; the TX stream throttles the CLI to this. */
const BLOCK_WIRE_MS = 8;

export const rngtest: Command = async (cli, args) => {
  const wanted = args[0] === undefined ? 2500 : strtoul(args[0], 0).value;
  for (let produced = 0; produced < wanted; produced += BLOCK) {
    cli.out(randomBytes(BLOCK).toString("base64"));
    await cli.work(BLOCK_WIRE_MS);
  }
  cli.out("\r\nDONE\r\n");
};
