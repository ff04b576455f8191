// The per-boot scheduler: ticks since reset and timers that all die with the boot (reset, power-off).
import type { Clock, TimerHandle } from "../world/clock.ts";

export class Rtos {
  private readonly bootAt: number;
  private readonly timers = new Set<TimerHandle>();
  private stopped = false;
  private readonly onStopHooks = new Set<() => void>();

  constructor(readonly clock: Clock) {
    this.bootAt = clock.now();
  }

  /** Milliseconds since the scheduler started. */
  tick(): number {
    return Math.round(this.clock.now() - this.bootAt);
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** Runs `fn` after `ms`, unless the boot ended first. */
  after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const handle = this.clock.schedule(Math.max(0, ms), () => {
      this.timers.delete(handle);
      if (!this.stopped) fn();
    });
    this.timers.add(handle);
  }

  /** Runs `fn` at a tick since boot. */
  at(tick: number, fn: () => void): void {
    this.after(this.bootAt + tick - this.clock.now(), fn);
  }

  /** A task delay; never resolves once the boot has ended, so the task simply stops. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** Waits for a promise from the outside world (a socket, a broker) without outliving the boot. */
  async await<T>(promise: Promise<T>): Promise<T> {
    const value = await promise;
    if (this.stopped) return new Promise<T>(() => {});
    return value;
  }

  /** Runs `fn` when the boot ends (power gone): sockets close, nothing survives. Returns the undo. */
  onStop(fn: () => void): () => void {
    if (this.stopped) {
      fn();
      return () => {};
    }
    this.onStopHooks.add(fn);
    return () => this.onStopHooks.delete(fn);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const fn of this.onStopHooks) fn();
    this.onStopHooks.clear();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}
