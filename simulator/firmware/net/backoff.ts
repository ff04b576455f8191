// backoffAlgorithm as the MQTT agent configures it (firmware-shell §8.1): the delay is 100 ms times a
// random number in [0, J]; J starts at 10 and doubles up to 300; retries never run out.

const BASE_MS = 100;
const FIRST_JITTER = 10;
const MAX_JITTER = 300;

export class Backoff {
  private jitter = FIRST_JITTER;

  constructor(private readonly random: () => number = Math.random) {}

  /** The next delay in ms, always a multiple of 100. */
  next(): number {
    const delay = BASE_MS * Math.floor(this.random() * (this.jitter + 1));
    this.jitter = Math.min(this.jitter * 2, MAX_JITTER);
    return delay;
  }

  /** The largest delay the next call can return. */
  get bound(): number {
    return BASE_MS * this.jitter;
  }
}
