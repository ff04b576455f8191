// Power through the rack's hook commands (uhubctl, a relay CLI, a PDU CLI), run by /bin/sh with the
// board's id and ST-LINK serial number in the environment (MAR_HIL_BOARD, MAR_HIL_STLINK_SERIAL).
import { errorLine, runTool } from "../flash/index.ts";
import { PowerHookFailedError } from "./errors.ts";
import type { PowerSwitch } from "./power-switch.ts";
import type { RackBoardEntry } from "./rack-file.ts";

export class HookPowerSwitch implements PowerSwitch {
  constructor(
    private readonly board: Pick<RackBoardEntry, "id" | "stlinkSerial">,
    private readonly hooks: NonNullable<RackBoardEntry["power"]>,
    private readonly timeoutMs = 30_000,
  ) {}

  async cycle(signal?: AbortSignal): Promise<void> {
    if (this.hooks.cycle) return this.run("cycle", this.hooks.cycle, signal);
    if (this.hooks.off && this.hooks.on) {
      await this.run("off", this.hooks.off, signal);
      await this.run("on", this.hooks.on, signal);
    }
  }

  private async run(action: string, command: string, signal?: AbortSignal): Promise<void> {
    const result = await runTool({
      argv: ["/bin/sh", "-c", command],
      installHint: "a POSIX shell is needed to run the rack's power hooks",
      timeoutMs: this.timeoutMs,
      signal,
      env: { ...process.env, MAR_HIL_BOARD: this.board.id, MAR_HIL_STLINK_SERIAL: this.board.stlinkSerial },
    });
    if (result.exitCode !== 0) {
      throw new PowerHookFailedError(
        `power ${action} hook for ${this.board.id} exited with ${result.exitCode}: ${errorLine(result.output)}`,
      );
    }
  }
}
