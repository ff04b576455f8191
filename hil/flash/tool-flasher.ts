// Flashing through a probe tool (STM32CubeProgrammer, OpenOCD, pyOCD) by the ST-LINK's serial number,
// so the right board is written when several are attached. Success is the tool's exit code 0.
import { FlashFailedError } from "./errors.ts";
import type { FirmwareImage, Flasher, FlashOptions, FlashReport } from "./flasher.ts";
import { errorLine, runTool } from "./run-tool.ts";
import { FLASH_ADDRESS, fillCommand, TOOL_COMMANDS, type ToolMethod } from "./tool-commands.ts";

export interface ToolFlasherOptions {
  method: ToolMethod;
  /** The ST-LINK's USB serial number. */
  serialNumber: string;
  /** Replaces the default command line; {bin}, {serial}, {address} are filled in. */
  command?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export class ToolFlasher implements Flasher {
  readonly method: ToolMethod;

  constructor(private readonly o: ToolFlasherOptions) {
    this.method = o.method;
  }

  async flash(image: FirmwareImage, options: FlashOptions = {}): Promise<FlashReport> {
    const tool = TOOL_COMMANDS[this.method];
    const argv = fillCommand(this.o.command ?? tool.argv, {
      bin: image.path,
      serial: this.o.serialNumber,
      address: FLASH_ADDRESS,
    });
    const result = await runTool({
      argv,
      installHint: tool.installHint,
      timeoutMs: options.timeoutMs ?? 120_000,
      signal: options.signal,
      env: this.o.env,
    });
    if (result.exitCode !== 0) {
      throw new FlashFailedError(
        `${argv[0]} exited with ${result.exitCode} flashing ST-LINK ${this.o.serialNumber}: ${errorLine(result.output)}`,
      );
    }
    return { method: this.method, detail: argv.join(" "), elapsedMs: result.elapsedMs };
  }
}
