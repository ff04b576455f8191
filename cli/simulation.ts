// The composition root of a simulated lab: the IoT Core twin, a world whose DNS and trust lead to it,
// and a fleet of boards living in that world.
import { resolve } from "node:path";
import { CloudTwin } from "../cloud/twin.ts";
import { Fleet, type LinkKind } from "../simulator/fleet.ts";
import { lockStateDir } from "../simulator/state-lock.ts";
import { SystemClock, type Clock } from "../simulator/world/clock.ts";
import { DEFAULT_ACCESS_POINT, type AccessPointConfig } from "../simulator/world/wifi.ts";
import { World } from "../simulator/world/world.ts";

export interface SimulationOptions {
  stateDir: string;
  boards: number;
  link: LinkKind;
  accounts?: number;
  profile?: string;
  baud?: number;
  clock?: Clock;
  accessPoint?: AccessPointConfig;
}

/** AWS IoT serves MQTT over TLS on 8883 and, with ALPN x-amzn-mqtt-ca, on 443 (aws-iot §4.1). */
const MQTT_PORTS = [8883, 443];

export class Simulation implements AsyncDisposable {
  private constructor(
    readonly cloud: CloudTwin,
    readonly world: World,
    readonly fleet: Fleet,
    private readonly unlock: () => void,
  ) {}

  static async start(o: SimulationOptions): Promise<Simulation> {
    const stateDir = resolve(o.stateDir);
    const clock = o.clock ?? new SystemClock(1);
    // One simulation per state directory: two would fight over the same boards, PTYs and registry.
    const unlock = lockStateDir(stateDir, "sim");
    let cloud: CloudTwin;
    try {
      cloud = await CloudTwin.start({ stateDir, accounts: o.accounts });
    } catch (e) {
      unlock();
      throw e;
    }
    try {
      const world = new World({
        clock,
        accessPoints: [o.accessPoint ?? DEFAULT_ACCESS_POINT],
        cloudRootPem: cloud.ca.certificatePem,
      });
      routeEndpoints(world, cloud);
      const fleet = await Fleet.start({
        stateDir,
        boards: o.boards,
        link: o.link,
        world,
        clock,
        profile: o.profile,
        baud: o.baud,
        // Each board's drive folder is its ST-LINK's mass-storage drive: copying a .bin there flashes it.
        stlink: true,
      });
      return new Simulation(cloud, world, fleet, unlock);
    } catch (e) {
      await cloud.close();
      unlock();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.fleet.close();
    await this.cloud.close();
    this.unlock();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Each account's ATS endpoint resolves to the data plane on 127.0.0.1. */
export function routeEndpoints(world: World, cloud: CloudTwin): void {
  const port = cloud.dataPlane?.port;
  if (port === undefined) return;
  for (const account of cloud.describe().accounts) {
    world.dns.register(account.endpoint, {
      host: "127.0.0.1",
      ports: new Map(MQTT_PORTS.map((p) => [p, port])),
    });
  }
}
