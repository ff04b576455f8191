// firmware-shell §2.5. Runtime and stack figures are INFERRED; the layout is from the source.
import type { Command } from "../cli.ts";

const RULE = `+${"-".repeat(82)}+\r\n`;

const pct = (n: number): string => `${String(n).padStart(3)}%`;

export const ps: Command = (cli) => {
  // The TIM5 run-time counter ticks at 10 kHz; the firmware prints it divided by 100.
  const total = Math.floor((cli.uptimeMs() * 10) / 100);
  const rows = cli.tasks.list().map((t) => {
    const state = t.name === "cli" ? "RUNNING" : t.state;
    const usage = Math.floor(((t.stack - t.highWaterMark) * 100) / t.stack);
    return (
      `| ${String(t.id).padStart(4)} | ${state.padEnd(9)} | ${t.name.padEnd(16)} |  ${String(t.priority).padStart(2)}  ` +
      `|  ${String(t.priority).padStart(2)}  | ${pct(t.cpu)} | ${String(t.stack).padStart(5)} | ` +
      `${String(t.highWaterMark).padStart(5)} | ${pct(usage)}  |\r\n`
    );
  });
  cli.out(
    `Total Runtime: ${total}\r\n${RULE}` +
      "| Task |   State   |    Task Name     |___Priority__| %CPU | Stack | Stack | Stack |\r\n" +
      "|  ID  |           |                  | Base | Cur. |      | Alloc |  HWM  | Usage |\r\n" +
      RULE +
      rows.join(""),
  );
};
