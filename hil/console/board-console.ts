// A board's serial console as the harness drives it: framed commands (never blind writes with sleeps),
// a log channel, waits with deadlines, a redacted transcript, and a port that may vanish and return.
import { ConsoleParser, type ConsoleEvent } from "./console-parser.ts";
import { DEFAULT_TIMEOUT_MS, waitFor, type WaitOptions } from "./deadline.ts";
import { ExpectTimeoutError, RxOverflowError, SerialDisconnectedError } from "./errors.ts";
import { Exchange, type Reply } from "./exchange.ts";
import { expectLine, type ExpectOptions, type ExpectResult } from "./expect.ts";
import { LineHistory } from "./line-history.ts";
import { checkLine } from "./line-rules.ts";
import type { LogLine } from "./log-line.ts";
import { linkFor, type LinkTarget } from "./open-link.ts";
import type { Pattern } from "./pattern.ts";
import { pastePem, preparePem, type PemVerdict } from "./pem-paste.ts";
import { Reconnector, type ReopenReport } from "./reopen.ts";
import type { SerialLink } from "./serial-link.ts";
import type { SerialPortLinkOptions } from "./serialport-link.ts";
import { Transcript } from "./transcript.ts";

export interface BoardConsoleOptions {
  /** Where bytes are recorded; a new one by default. */
  transcript?: Transcript;
  /** How long a vanished port is awaited before SERIAL_NOT_BACK; 0 leaves it closed. Default 30000 ms. */
  reopenTimeoutMs?: number;
  /** For tty targets: baud rate, USB serial number. */
  serial?: SerialPortLinkOptions;
  /** While looking for a prompt, Ctrl-C is re-sent this often (bytes sent before the CLI runs are lost, §1.1). Default 250 ms. */
  syncRetryMs?: number;
}

/** The console held for a sequence of lines that must not be interleaved with others (a PEM paste). */
export interface ConsoleSession {
  /** Sends one line and resolves with its reply at the next prompt. */
  exchange(line: string, options?: WaitOptions): Promise<Reply>;
}

const CTRL_C = "\x03";
const OVERFLOW_LOG = "Console receive buffer full";
const CREDENTIAL_SET = /^conf +set +wifi_credential +([^ ]+)/;

export class BoardConsole implements AsyncDisposable {
  readonly transcript: Transcript;
  private readonly parser = new ConsoleParser();
  private readonly history = new LineHistory();
  private readonly logListeners = new Set<(log: LogLine) => void>();
  private readonly promptListeners = new Set<() => void>();
  /** A prompt was seen and nothing was sent since: the firmware is reading a line. */
  private ready = false;
  private current:
    { exchange: Exchange; settle: (step: { done: Reply } | { error: Error }) => void } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lifetime = new AbortController();
  private readonly reconnector: Reconnector;

  private constructor(
    readonly link: SerialLink,
    private readonly options: BoardConsoleOptions,
  ) {
    this.transcript = options.transcript ?? new Transcript();
    this.reconnector = new Reconnector(
      link,
      options.reopenTimeoutMs ?? 30_000,
      this.lifetime.signal,
      (text) => this.transcript.event(text),
      () => this.history.last(),
    );
    link.on("data", (bytes) => this.receive(bytes));
    link.on("close", (error) => this.onClose(error));
  }

  /** Opens `target` (a tty path, `tcp://host:port`, an in-process Duplex, or a SerialLink). */
  static async open(target: LinkTarget, options: BoardConsoleOptions = {}): Promise<BoardConsole> {
    const console = new BoardConsole(linkFor(target, options.serial), options);
    await console.link.open();
    console.transcript.event(`opened ${console.link.target}`);
    return console;
  }

  /** Every time the port vanished and came back, with how long it took. */
  get reopens(): readonly ReopenReport[] {
    return this.reconnector.reports;
  }

  get target(): string {
    return this.link.target;
  }

  /** A position in the console's line history, for `expect(…, { since })`. */
  mark(): number {
    return this.history.mark();
  }

  /** Log lines as they arrive (the log channel); returns the unsubscribe function. */
  onLog(listener: (log: LogLine) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  /** Log lines seen since `mark` (default: all that are kept). */
  logs(since = 0): LogLine[] {
    return this.history.since(since).flatMap((l) => (l.log ? [l.log] : []));
  }

  /** The last lines seen (logs, output and echoed input), for messages. */
  lastLines(n?: number): string[] {
    return this.history.last(n);
  }

  expect(pattern: Pattern, options: ExpectOptions = {}): Promise<ExpectResult> {
    return expectLine(this.history, pattern, options);
  }

  /** Sends a command line and resolves with its reply at the next prompt. */
  async command(line: string, options: WaitOptions = {}): Promise<Reply> {
    checkLine(line);
    return this.exclusive((session) => session.exchange(line, options), options);
  }

  /** `pki import cert <label>` + the PEM line by line, each after its prompt (§4.3); the board's verdict. */
  async pastePem(label: string, pem: string, options: WaitOptions = {}): Promise<PemVerdict> {
    const prepared = preparePem(label, pem);
    return this.exclusive((session) => pastePem(session, prepared, options), options);
  }

  /** Runs `fn` with the console to itself: other commands wait until it is done. */
  exclusive<T>(fn: (session: ConsoleSession) => Promise<T>, options: WaitOptions = {}): Promise<T> {
    const run = this.queue.then(async () => {
      await this.sync(options);
      return fn({ exchange: (line, o) => this.exchange(line, o ?? options) });
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Makes sure the firmware shows a prompt: Ctrl-C clears any partial input and prints a fresh one (§1.3). */
  async sync(options: WaitOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = performance.now();
    const left = (): number => timeoutMs - (performance.now() - started);
    await this.whenOpen({ ...options, timeoutMs });
    const retryMs = this.options.syncRetryMs ?? 250;
    while (!this.ready) {
      if (left() <= 0) throw new ExpectTimeoutError("a prompt after Ctrl-C", timeoutMs, this.history.last());
      await this.send(CTRL_C);
      try {
        await this.nextPrompt({ signal: options.signal, timeoutMs: Math.min(retryMs, left()) });
      } catch (e) {
        // No prompt yet: the CLI may still be starting; Ctrl-C again until the deadline.
        if (!(e instanceof ExpectTimeoutError)) throw e;
      }
    }
  }

  /** Resolves when the link is open, waiting for a reopen in progress within the deadline. */
  whenOpen(options: WaitOptions = {}): Promise<void> {
    return this.reconnector.whenOpen(options);
  }

  async close(): Promise<void> {
    this.lifetime.abort(new SerialDisconnectedError("console closed"));
    this.current?.settle({ error: new SerialDisconnectedError(`${this.target}: console closed`) });
    await this.link.close();
    this.transcript.event(`closed ${this.target}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async exchange(line: string, options: WaitOptions): Promise<Reply> {
    checkLine(line, "line");
    const exchange = new Exchange(line);
    const reply = waitFor<Reply>(
      {
        describe: exchange.awaiting,
        lastLines: () => this.history.last(),
        start: (resolve, reject) => {
          this.current = {
            exchange,
            settle: (step) => {
              this.current = undefined;
              if ("done" in step) resolve(step.done);
              else reject(step.error);
            },
          };
          return () => {
            if (this.current?.exchange === exchange) this.current = undefined;
          };
        },
      },
      options,
    ).catch((e: unknown) => {
      // The firmware may still be busy with the line: find a fresh prompt before the next one.
      this.ready = false;
      if (e instanceof ExpectTimeoutError)
        throw new ExpectTimeoutError(exchange.awaiting, e.elapsedMs, e.lastLines);
      throw e;
    });
    // Flow control: one line (at most 128 bytes with its CR) is in flight until its echo and the next
    // prompt, so the firmware's 512-byte receive stream (§1.1) can never overflow.
    this.ready = false;
    const credential = CREDENTIAL_SET.exec(line);
    if (credential?.[1]) this.transcript.addSecret(credential[1]);
    await this.send(`${line}\r`).catch((e: unknown) => {
      this.current?.settle({ error: e instanceof Error ? e : new Error(String(e)) });
    });
    return reply;
  }

  private nextPrompt(options: WaitOptions): Promise<void> {
    return waitFor<void>(
      {
        describe: "a prompt",
        lastLines: () => this.history.last(),
        start: (resolve) => {
          const listener = (): void => resolve();
          this.promptListeners.add(listener);
          return () => this.promptListeners.delete(listener);
        },
      },
      options,
    );
  }

  private async send(text: string): Promise<void> {
    const bytes = Buffer.from(text, "latin1");
    this.transcript.record("tx", bytes);
    await this.link.write(bytes);
  }

  private receive(bytes: Buffer): void {
    this.transcript.record("rx", bytes);
    for (const event of this.parser.push(bytes)) this.dispatch(event);
  }

  private dispatch(event: ConsoleEvent): void {
    if (event.kind === "log") {
      this.history.add("log", event.log.raw, event.log);
      for (const listener of [...this.logListeners]) listener(event.log);
      if (event.log.message.includes(OVERFLOW_LOG)) {
        this.current?.settle({ error: new RxOverflowError(`${this.target}: ${event.log.raw}`) });
      }
    } else if (event.kind === "output") {
      this.history.add("output", event.text);
      // Output while idle is a reboot or another writer: wait for the next prompt before sending.
      if (!this.current) this.ready = false;
    } else if (event.kind === "input") {
      this.history.add("input", event.text);
    } else if (event.before !== "") {
      this.history.add("output", event.before);
    }
    const step = this.current?.exchange.step(event);
    if (step) this.current?.settle(step);
    if (event.kind === "prompt" && !event.redraw && !this.current) {
      this.ready = true;
      for (const listener of [...this.promptListeners]) listener();
    }
  }

  private onClose(error: Error | undefined): void {
    this.parser.reset();
    this.ready = false;
    const reason = error?.message ?? "closed";
    this.transcript.event(`link closed: ${reason}`);
    this.current?.settle({ error: new SerialDisconnectedError(`${this.target} went away: ${reason}`) });
    if (error) this.reconnector.start();
  }
}
