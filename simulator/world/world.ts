// Everything outside the board: time, Wi-Fi, DNS and trust. One world per simulation.
import type { Clock } from "./clock.ts";
import { Dns } from "./dns.ts";
import { Trust } from "./trust.ts";
import { WifiNetworks, type AccessPointConfig } from "./wifi.ts";

export interface WorldOptions {
  clock: Clock;
  accessPoints?: AccessPointConfig[];
  /** PEM of the cloud twin's root CA; without it the AWS roots anchor nothing here. */
  cloudRootPem?: string;
}

export class World {
  readonly clock: Clock;
  readonly wifi: WifiNetworks;
  readonly dns = new Dns();
  readonly trust: Trust;

  constructor(options: WorldOptions) {
    this.clock = options.clock;
    this.wifi = new WifiNetworks(options.accessPoints);
    this.trust = new Trust(options.cloudRootPem);
  }
}
