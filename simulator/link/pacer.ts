// A UART moves 10 bits per byte (8N1): at 115200 baud, 11.52 bytes per millisecond. The pacer delays
// bytes so that a host sees a simulated board's output (and the board its input) at wire speed:
// a token bucket with a small burst, so a short reply leaves at once, as from a real UART FIFO.

/** Bytes a UART can have in flight at once (its FIFO), sent without waiting. */
const BURST = 16;

export class Pacer {
  private queue: Buffer[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private tokens = BURST;
  private last = performance.now();
  private readonly bytesPerMs: number;

  /** `baud` 0 passes bytes through at once. */
  constructor(
    private readonly baud: number,
    private readonly sink: (bytes: Buffer) => void,
  ) {
    this.bytesPerMs = baud / 10 / 1000;
  }

  write(bytes: Buffer): void {
    if (this.baud <= 0) return this.sink(bytes);
    this.queue.push(bytes);
    this.queued += bytes.length;
    if (!this.timer) this.pump();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.queued = 0;
  }

  private pump(): void {
    this.timer = undefined;
    const now = performance.now();
    this.tokens = Math.min(BURST, this.tokens + (now - this.last) * this.bytesPerMs);
    this.last = now;
    const out: Buffer[] = [];
    while (this.queue.length > 0 && this.tokens >= 1) {
      const head = this.queue[0] as Buffer;
      const take = head.subarray(0, Math.floor(this.tokens));
      out.push(take);
      this.tokens -= take.length;
      if (take.length === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(take.length);
    }
    const chunk = Buffer.concat(out);
    this.queued -= chunk.length;
    if (chunk.length > 0) this.sink(chunk);
    if (this.queue.length > 0) {
      const wait = Math.max(1, Math.ceil((Math.min(BURST, this.queued) - this.tokens) / this.bytesPerMs));
      this.timer = setTimeout(() => this.pump(), wait);
    }
  }
}
