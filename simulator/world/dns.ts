// Name resolution in the simulated world: endpoint host names lead to the cloud twin on 127.0.0.1.
import { createHash } from "node:crypto";

export interface Route {
  /** Where the TCP connection really goes. */
  host: string;
  /** Destination ports the service listens on (8883 and 443 for AWS IoT), mapped to real local ports. */
  ports: ReadonlyMap<number, number>;
  /** The public address the firmware prints, stable per name. */
  displayAddress: string;
}

/** A stable, public-looking IPv4 for a name, in the ranges AWS IoT endpoints resolve to. */
export function displayAddressFor(name: string): string {
  const h = createHash("sha256").update(name.toLowerCase()).digest();
  const first = [34, 35, 44, 52, 54][(h[0] ?? 0) % 5];
  return `${first}.${h[1]}.${h[2]}.${1 + ((h[3] ?? 0) % 254)}`;
}

export class Dns {
  private readonly routes = new Map<string, Route>();

  register(name: string, route: Omit<Route, "displayAddress"> & { displayAddress?: string }): void {
    this.routes.set(name.toLowerCase(), {
      ...route,
      displayAddress: route.displayAddress ?? displayAddressFor(name),
    });
  }

  unregister(name: string): void {
    this.routes.delete(name.toLowerCase());
  }

  resolve(name: string): Route | undefined {
    return this.routes.get(name.toLowerCase());
  }
}
