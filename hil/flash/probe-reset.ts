// The board's reset through its ST-LINK (rack.yaml `reset: probe`), by the probe's serial number, with
// the tool of the board's flash method. The mass-storage drive has no reset line, so such a board is
// reset with STM32CubeProgrammer when it is installed.
import { ProbeResetFailedError } from "./errors.ts";
import type { FlashMethod } from "./flasher.ts";
import { errorLine, runTool } from "./run-tool.ts";
import { fillCommand, RESET_COMMANDS, TOOL_COMMANDS, type ToolMethod } from "./tool-commands.ts";

export interface ProbeResetOptions {
  /** The board's flash method; mass-storage resets with STM32CubeProgrammer. */
  method: FlashMethod;
  /** The ST-LINK's USB serial number. */
  serialNumber: string;
  env?: NodeJS.ProcessEnv;
  /** Default 30 s. */
  timeoutMs?: number;
}

export interface ProbeResetReport {
  /** The exact command line. */
  detail: string;
  elapsedMs: number;
}

export class ProbeReset {
  constructor(private readonly o: ProbeResetOptions) {}

  async reset(signal?: AbortSignal): Promise<ProbeResetReport> {
    const tool: ToolMethod = this.o.method === "mass-storage" ? "cubeprogrammer" : this.o.method;
    const argv = fillCommand(RESET_COMMANDS[tool], { serial: this.o.serialNumber });
    const installHint =
      this.o.method === "mass-storage"
        ? `the ST-LINK drive cannot reset the board; for reset: probe ${TOOL_COMMANDS.cubeprogrammer.installHint}`
        : TOOL_COMMANDS[tool].installHint;
    const result = await runTool({
      argv,
      installHint,
      timeoutMs: this.o.timeoutMs ?? 30_000,
      signal,
      env: this.o.env,
    });
    if (result.exitCode !== 0) {
      throw new ProbeResetFailedError(
        `${argv[0]} exited with ${result.exitCode} resetting through ST-LINK ${this.o.serialNumber}: ${errorLine(result.output)}`,
      );
    }
    return { detail: argv.join(" "), elapsedMs: result.elapsedMs };
  }
}
