// firmware-shell §2.8. The heap figures are INFERRED; the table layout is from the source.
import type { Command } from "../cli.ts";

const HEAP_TOTAL = 307200;

interface Unit {
  label: string;
  divisor: number;
}

const BYTES: Unit = { label: "(Bytes)", divisor: 1 };
const LONG: Readonly<Record<string, Unit>> = {
  "--kilo": { label: "(KB)   ", divisor: 1000 },
  "--mega": { label: "(MB)   ", divisor: 1000000 },
  "--kibi": { label: "(KiB)  ", divisor: 1024 },
  "--mebi": { label: "(MiB)  ", divisor: 1048576 },
  "--byte": BYTES,
};
/** Only the second character of a single-dash option is looked at. */
const SHORT: Readonly<Record<string, Unit>> = {
  k: LONG["--kibi"] as Unit,
  h: LONG["--kibi"] as Unit,
  m: LONG["--mebi"] as Unit,
  b: BYTES,
};

function row(metric: string, bytes: number, unit: Unit): string {
  const dec = String(Math.floor(bytes / unit.divisor)).padEnd(11);
  const hex = bytes.toString(16).toUpperCase().padEnd(9);
  const pct = String(Math.floor((bytes * 100) / HEAP_TOTAL)).padStart(3);
  return `| ${metric.padEnd(16)} | ${dec} | 0x${hex} | ${pct} %   |\r\n`;
}

export const heapstat: Command = (cli, args) => {
  let unit = BYTES;
  for (const arg of args) {
    const dashed = arg.startsWith("-");
    const chosen = arg.startsWith("--") ? LONG[arg] : dashed ? SHORT[arg[1] ?? ""] : undefined;
    if (chosen) {
      unit = chosen;
      continue;
    }
    cli.out(`Error: Unrecognized argument: ${arg}\r\n`);
    if (dashed) return;
  }
  const free = 129432;
  const minFree = 118560;
  const rule = `+${"-".repeat(56)}+\r\n`;
  cli.out(
    rule +
      `| Metric           | Dec ${unit.label} | Hex (Bytes) | % Total |\r\n` +
      "|------------------|-------------|-------------|---------|\r\n" +
      row("Heap Total", HEAP_TOTAL, unit) +
      row("Heap Free", free, unit) +
      row("Min. Heap Free", minFree, unit) +
      row("Heap Alloc.", HEAP_TOTAL - free, unit) +
      row("Max. Heap Alloc.", HEAP_TOTAL - minFree, unit) +
      rule,
  );
};
