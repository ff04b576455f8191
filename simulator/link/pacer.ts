// A UART moves 10 bits per byte (8N1): at 115200 baud, 11.52 bytes per millisecond. The pacer delays
// bytes so that a host sees a simulated board's output (and the board its input) at wire speed.

const TICK_MS = 10;

export class Pacer {
  private queue: Buffer[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private credit = 0;
  private last = 0;

  /** `baud` 0 passes bytes through at once. */
  constructor(
    private readonly baud: number,
    private readonly sink: (bytes: Buffer) => void,
  ) {}

  write(bytes: Buffer): void {
    if (this.baud <= 0) return this.sink(bytes);
    this.queue.push(bytes);
    this.queued += bytes.length;
    if (!this.timer) {
      this.last = performance.now();
      this.credit = 0;
      this.timer = setInterval(() => this.tick(), TICK_MS);
    }
  }

  /** Bytes still waiting for the wire. */
  get pending(): number {
    return this.queued;
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.queued = 0;
  }

  private tick(): void {
    const now = performance.now();
    this.credit += ((now - this.last) * this.baud) / 10 / 1000;
    this.last = now;
    let room = Math.floor(this.credit);
    const out: Buffer[] = [];
    while (room > 0 && this.queue.length > 0) {
      const head = this.queue[0] as Buffer;
      const take = head.subarray(0, room);
      out.push(take);
      room -= take.length;
      this.credit -= take.length;
      if (take.length === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(take.length);
    }
    const chunk = Buffer.concat(out);
    this.queued -= chunk.length;
    if (this.queue.length === 0) this.close();
    if (chunk.length > 0) this.sink(chunk);
  }
}
