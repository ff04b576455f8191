// Injected time for the twins: firmware timers, ticks and delays all read this, never Date.now().

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds on the simulated time line. */
  now(): number;
  /** Runs `fn` after `ms` simulated milliseconds. */
  schedule(ms: number, fn: () => void): TimerHandle;
}

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.schedule(ms, resolve));
}

/** Wall-clock time, optionally sped up: with `timeScale` 10, a firmware second lasts 100 ms. */
export class SystemClock implements Clock {
  private readonly origin = performance.now();

  constructor(private readonly timeScale = 1) {
    if (!(timeScale > 0)) throw new RangeError(`time scale must be > 0, got ${timeScale}`);
  }

  now(): number {
    return (performance.now() - this.origin) * this.timeScale;
  }

  schedule(ms: number, fn: () => void): TimerHandle {
    const timer = setTimeout(fn, Math.max(0, ms / this.timeScale));
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  }
}

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** Test clock: time moves only when the test calls `advance`. */
export class ManualClock implements Clock {
  private time = 0;
  private seq = 0;
  private pending: Pending[] = [];

  now(): number {
    return this.time;
  }

  schedule(ms: number, fn: () => void): TimerHandle {
    const entry = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.pending.push(entry);
    return { cancel: () => (this.pending = this.pending.filter((p) => p !== entry)) };
  }

  /** Moves time forward, firing due timers in order and letting async code settle after each. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const next = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.time = next.at;
      next.fn();
      await settle();
    }
    this.time = target;
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
