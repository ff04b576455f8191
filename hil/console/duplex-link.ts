// A link over a Node Duplex: the in-process board twin (`Fleet` with `link: "inproc"`) or any stream
// pair in tests. hil never imports the simulator: it is handed the stream, or a function that opens one.
import type { Duplex } from "node:stream";
import { SerialDisconnectedError } from "./errors.ts";
import { LinkBase } from "./link-base.ts";

export interface DuplexLinkOptions {
  /** Shown in messages and transcripts. Default `in-process`. */
  target?: string;
  /** End the stream on `close()`. Default false: a twin's stream outlives one console. */
  endOnClose?: boolean;
}

export class DuplexLink extends LinkBase {
  readonly target: string;
  private stream: Duplex | undefined;
  private detach: (() => void) | undefined;

  /** `source` is a stream, or a function returning a fresh one for each (re)open. */
  constructor(
    private readonly source: Duplex | (() => Duplex | Promise<Duplex>),
    private readonly options: DuplexLinkOptions = {},
  ) {
    super();
    this.target = options.target ?? "in-process";
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const stream = typeof this.source === "function" ? await this.source() : this.source;
    if (stream.destroyed || !stream.writable)
      throw new SerialDisconnectedError(`${this.target}: stream is closed`);
    const onData = (bytes: Buffer): void => void this.emit("data", bytes);
    const onEnd = (): void => this.gone(undefined);
    const onError = (e: Error): void => this.gone(e);
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("close", onEnd);
    stream.on("error", onError);
    this.detach = () => {
      // Paused, the stream keeps what the board prints until the next console attaches.
      stream.pause();
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("close", onEnd);
      stream.off("error", onError);
    };
    this.stream = stream;
    this.connected();
  }

  protected send(bytes: Buffer): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.reject(new SerialDisconnectedError(`${this.target} is not open`));
    return new Promise((resolve, reject) =>
      stream.write(bytes, (e) =>
        e ? reject(new SerialDisconnectedError(`${this.target}: ${e.message}`)) : resolve(),
      ),
    );
  }

  protected async disconnect(): Promise<void> {
    const stream = this.stream;
    this.release();
    // Only the data listener is removed otherwise: the twin keeps running for the next console.
    if (stream && this.options.endOnClose) stream.end();
  }

  private gone(error: Error | undefined): void {
    this.release();
    this.closed(error);
  }

  private release(): void {
    this.detach?.();
    this.detach = undefined;
    this.stream = undefined;
  }
}
