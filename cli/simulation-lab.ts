// A simulated lab seen through the runner's eyes: the same Lab a rack and AWS would give.
import { iotClientFromEnv } from "../hil/aws/index.ts";
import type { Lab } from "../hil/run/lab.ts";
import type { Simulation } from "./simulation.ts";

export function simulationLab(sim: Simulation, o: { timeScale: number; wifi: Lab["wifi"] }): Lab {
  const ca = sim.cloud.ca.certificatePem;
  return {
    target: `local twin (${sim.fleet.boards.length} simulated boards, time ×${o.timeScale})`,
    boards: sim.fleet.boards.map((b) => ({
      id: b.board.id,
      console: b.stream ?? b.port.path,
      powerCycle: async () => {
        b.board.powerOff();
        b.board.powerOn();
      },
      flash: async ({ profile }) => {
        b.board.flashFirmware(profile ?? b.board.profile.name);
        b.board.reset();
      },
    })),
    accounts: sim.cloud.describe().accounts.map((a) => ({ iot: iotClientFromEnv(a.env), env: a.env, ca })),
    wifi: o.wifi,
    timeScale: o.timeScale,
    stopBroker: async () => {
      await sim.cloud.dataPlane?.restart?.();
    },
  };
}
