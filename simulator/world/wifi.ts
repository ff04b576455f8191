// The Wi-Fi access points a simulated board can join, with test controls for link loss.

export interface AccessPointConfig {
  ssid: string;
  credential: string;
}

export const DEFAULT_ACCESS_POINT: AccessPointConfig = { ssid: "mar-hil-lab", credential: "mar-hil-lab-psk" };

export interface Lease {
  address: string;
  gateway: string;
  netmask: string;
}

export class AccessPoint {
  private up = true;
  private nextHost = 51;
  private readonly listeners = new Set<(up: boolean) => void>();

  constructor(
    public ssid: string,
    public credential: string,
    /** The /24 the AP's DHCP server hands out, e.g. 192.168.137. */
    private readonly subnet = "192.168.137",
  ) {}

  /** WPA2 association: the SSID must match and the passphrase too. */
  accepts(ssid: string, credential: string): boolean {
    return this.up && ssid === this.ssid && credential === this.credential;
  }

  lease(): Lease {
    const host = this.nextHost++;
    if (this.nextHost > 250) this.nextHost = 51;
    return { address: `${this.subnet}.${host}`, gateway: `${this.subnet}.1`, netmask: "255.255.255.0" };
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Test control: the AP goes away (link loss) or comes back. */
  setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    for (const l of this.listeners) l(up);
  }

  onLinkChange(listener: (up: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export class WifiNetworks {
  readonly accessPoints: AccessPoint[];

  constructor(configs: AccessPointConfig[] = [DEFAULT_ACCESS_POINT]) {
    this.accessPoints = configs.map((c) => new AccessPoint(c.ssid, c.credential));
  }

  /** The AP a station with this SSID/passphrase associates with, if any. */
  associate(ssid: string, credential: string): AccessPoint | undefined {
    return this.accessPoints.find((ap) => ap.accepts(ssid, credential));
  }
}
