// The IP link as the firmware tasks see it: up once DHCP gave an address, down on link loss.

export class NetworkInterface {
  private up = false;
  private waiters: Array<() => void> = [];
  private readonly downListeners = new Set<() => void>();

  get isUp(): boolean {
    return this.up;
  }

  setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    if (up) for (const w of this.waiters.splice(0)) w();
    else for (const l of this.downListeners) l();
  }

  /** Resolves when the link is (or comes) up. */
  waitUp(): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  onDown(listener: () => void): () => void {
    this.downListeners.add(listener);
    return () => this.downListeners.delete(listener);
  }
}
