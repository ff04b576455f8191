// The firmware's UART console: line discipline (firmware-shell §1.3), prompt (§1.2), receive buffer
// (§1.1) and the interleaving of log lines with command I/O (§1.4). One instance lives for one boot.
import type { Clock, TimerHandle } from "../world/clock.ts";

export const PROMPT = "> ";
const LINE_MAX = 128;
const RX_STREAM = 512;
const LOG_BUFFER = 4096;
const TX_IDLE_MS = 5;
/** USART1 runs at 115200 8N1 whatever the host link does: 10 bits per byte (§1.1). */
const UART_MS_PER_BYTE = 10 / 115.2;
/** The uartRx task moves bytes in 128-byte DMA chunks; a chunk that does not fit is dropped (§1.1). */
const RX_CHUNK = 128;

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
const BS = 0x08;
const DEL = 0x7f;
const CTRL_C = 0x03;

export interface ConsoleHooks {
  clock: Clock;
  /** Bytes leaving the board's TX pin. */
  transmit: (bytes: Buffer) => void;
  /** Called with the number of bytes dropped when the receive stream is full. */
  onRxOverflow?: (dropped: number) => void;
}

/** A line read from the console, as latin1 text; `null` when the 128-character limit discarded it. */
export type ReadResult = string | null;

export class Console {
  private line: number[] = [];
  /** True between a printed prompt and the end of the line (`xPartialCommand`). */
  private partial = false;
  private reader: ((line: ReadResult) => void) | undefined;
  private rx: number[] = [];
  private logs: string[] = [];
  private logBytes = 0;
  /** When the TX stream will have drained onto the wire. */
  private txIdleAt = Number.NEGATIVE_INFINITY;
  private drainTimer: TimerHandle | undefined;
  private held: Buffer[] = [];
  private closed = false;

  /** The CLI task is inside a timed operation and is not reading input. */
  private busy = false;
  /** Task states that `kill` can change (§2.6). */
  readonly suspended = { cli: false, uartRx: false, uartTx: false };

  constructor(private readonly hooks: ConsoleHooks) {}

  /** Bytes arriving on the RX pin. */
  receive(bytes: Buffer): void {
    if (this.closed || this.suspended.uartRx) return;
    for (const b of bytes) this.rx.push(b);
    // The 512-byte stream only fills while the CLI is not reading (a timed command, or suspended).
    if (this.busy || this.suspended.cli) this.capReceiveStream();
    this.pump();
  }

  /** The CLI starts a timed operation: what waits beyond the 512-byte stream is lost (§1.1). */
  beginWork(): void {
    this.busy = true;
    this.capReceiveStream();
  }

  endWork(): void {
    this.busy = false;
    this.pump();
  }

  /** Keeps 512 bytes; the rest is dropped one DMA chunk at a time, each with its WRN (§1.1). */
  private capReceiveStream(): void {
    let excess = this.rx.length - RX_STREAM;
    if (excess <= 0) return;
    this.rx.length = RX_STREAM;
    while (excess > 0) {
      const dropped = Math.min(RX_CHUNK, excess);
      this.hooks.onRxOverflow?.(dropped);
      excess -= dropped;
    }
  }

  /** Prints the prompt and resolves with the next complete line. */
  readLine(): Promise<ReadResult> {
    this.write(PROMPT);
    this.partial = true;
    this.line = [];
    return new Promise((resolve) => {
      this.reader = resolve;
      this.pump();
    });
  }

  /** Command output from the CLI task. */
  write(text: string | Buffer): void {
    this.transmit(typeof text === "string" ? Buffer.from(text, "latin1") : text);
  }

  /** Queues a formatted log line for the uartTx task. */
  log(line: string): void {
    if (this.closed || this.logBytes + line.length > LOG_BUFFER) return;
    this.logs.push(line);
    this.logBytes += line.length;
    this.scheduleDrain();
  }

  /** `configASSERT` flushes pending logs synchronously before printing its own line (§2.12). */
  flushLogs(): void {
    for (const line of this.logs.splice(0)) this.transmit(Buffer.from(`${line}\r\n`, "latin1"));
    this.logBytes = 0;
  }

  /** Resumes the CLI after `kill -SIGCONT` and processes what waited in the receive stream. */
  resume(task: keyof Console["suspended"]): void {
    this.suspended[task] = false;
    if (task === "uartTx") for (const b of this.held.splice(0)) this.hooks.transmit(b);
    this.pump();
    this.scheduleDrain();
  }

  /** Power off or reset: nothing more leaves this console instance. */
  close(): void {
    this.closed = true;
    this.drainTimer?.cancel();
    this.reader = undefined;
  }

  /** Re-reads the receive stream after the CLI finished a timed operation. */
  pump(): void {
    if (!this.reader || this.suspended.cli || this.rx.length === 0) return;
    const pending = Buffer.from(this.rx);
    this.rx = [];
    const used = this.consume(pending, 0);
    this.rx = [...pending.subarray(used), ...this.rx];
  }

  /** Feeds bytes to the line editor until a line completes; returns how many were used. */
  private consume(bytes: Buffer, from: number): number {
    const echo: number[] = [];
    let i = from;
    let done: ReadResult | undefined;
    for (; i < bytes.length && done === undefined; i++) {
      const b = bytes[i] as number;
      if (b === CR || b === LF || b === NUL) {
        if (this.line.length === 0) continue;
        echo.push(CR, LF);
        done = Buffer.from(this.line).toString("latin1");
      } else if (b === BS || b === DEL) {
        if (this.line.length === 0) continue;
        this.line.pop();
        echo.push(BS, 0x20, BS);
      } else if (b === CTRL_C) {
        this.line = [];
        echo.push(CR, LF, ...Buffer.from(PROMPT));
      } else {
        this.line.push(b);
        echo.push(b);
        // The 128th character ends the read with length 0: the line is dropped silently (§1.3).
        if (this.line.length === LINE_MAX) done = null;
      }
    }
    if (echo.length > 0) this.transmit(Buffer.from(echo));
    if (done !== undefined) {
      const reader = this.reader;
      this.reader = undefined;
      this.partial = false;
      this.line = [];
      reader?.(done);
    }
    return i - from;
  }

  private transmit(bytes: Buffer): void {
    if (this.closed || bytes.length === 0) return;
    this.txIdleAt = Math.max(this.hooks.clock.now(), this.txIdleAt) + bytes.length * UART_MS_PER_BYTE;
    if (this.suspended.uartTx) this.held.push(bytes);
    else this.hooks.transmit(bytes);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainTimer || this.logs.length === 0 || this.closed) return;
    const wait = Math.max(0, this.txIdleAt + TX_IDLE_MS - this.hooks.clock.now());
    this.drainTimer = this.hooks.clock.schedule(wait, () => {
      this.drainTimer = undefined;
      this.drainOne();
    });
  }

  /** uartTx sends one log message once the TX stream has been idle for 5 ms. */
  private drainOne(): void {
    if (this.suspended.uartTx || this.closed) return;
    if (this.hooks.clock.now() - this.txIdleAt < TX_IDLE_MS) return this.scheduleDrain();
    const line = this.logs.shift();
    if (line === undefined) return;
    this.logBytes -= line.length;
    const text = this.partial
      ? `\r\x1b[K${line}\r\n${PROMPT}${Buffer.from(this.line).toString("latin1")}`
      : `${line}\r\n`;
    this.transmit(Buffer.from(text, "latin1"));
  }
}
