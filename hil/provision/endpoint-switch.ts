// The board side of an account move (hil/aws BoardEndpointSwitch): new endpoint, commit, reset.
import type { BoardEndpointSwitch } from "../aws/types.ts";
import type { BoardConsole } from "../console/index.ts";
import { stringValueProblem } from "./device-config.ts";
import { ProvisionError } from "./errors.ts";
import { resetBoard } from "./configure-board.ts";

export function consoleEndpointSwitch(console: BoardConsole, timeoutMs = 30_000): BoardEndpointSwitch {
  return {
    async pointAt({ endpoint }, signal) {
      const problem = stringValueProblem("mqtt_endpoint", endpoint);
      if (problem) throw new ProvisionError("VALUE_REFUSED", "user", problem);
      const wait = { signal, timeoutMs };
      const set = await console.command(`conf set mqtt_endpoint ${endpoint}`, wait);
      if (set.lines[0] !== `mqtt_endpoint="${endpoint}"`) {
        throw new ProvisionError(
          "ECHO_MISMATCH",
          "device",
          `conf set mqtt_endpoint answered ${JSON.stringify(set.text)}`,
        );
      }
      const commit = await console.command("conf commit", wait);
      if (commit.lines[0] !== "Configuration saved to NVM.") {
        throw new ProvisionError("COMMIT_FAILED", "device", `conf commit answered: ${commit.text.trim()}`);
      }
      await resetBoard(console, wait);
    },
  };
}
