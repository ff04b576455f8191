// A board's UART exposed as raw TCP (`tcp://host:port`, ser2net "raw" mode), as racks often do.
import { connect, type Socket } from "node:net";
import { SerialDisconnectedError } from "./errors.ts";
import { LinkBase } from "./link-base.ts";

export interface TcpLinkOptions {
  /** How long a connection attempt may take. Default 5000 ms. */
  connectTimeoutMs?: number;
}

export class TcpLink extends LinkBase {
  readonly target: string;
  private readonly host: string;
  private readonly port: number;
  private socket: Socket | undefined;

  constructor(
    address: string,
    private readonly options: TcpLinkOptions = {},
  ) {
    super();
    const url = new URL(address);
    if (url.protocol !== "tcp:" || !url.port)
      throw new TypeError(`not a tcp://host:port address: ${address}`);
    this.host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    this.port = Number(url.port);
    this.target = `tcp://${url.host}`;
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SerialDisconnectedError(`${this.target}: no connection within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(new SerialDisconnectedError(`${this.target}: ${e.message}`));
      });
    });
    socket.on("data", (bytes: Buffer) => this.emit("data", bytes));
    socket.on("error", () => {});
    socket.once("close", (hadError) => {
      if (this.socket === socket) this.socket = undefined;
      this.closed(hadError ? new SerialDisconnectedError(`${this.target}: connection failed`) : undefined);
    });
    this.socket = socket;
    this.connected();
  }

  private get timeoutMs(): number {
    return this.options.connectTimeoutMs ?? 5000;
  }

  protected send(bytes: Buffer): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new SerialDisconnectedError(`${this.target} is not open`));
    return new Promise((resolve, reject) =>
      socket.write(bytes, (e) =>
        e ? reject(new SerialDisconnectedError(`${this.target}: ${e.message}`)) : resolve(),
      ),
    );
  }

  protected disconnect(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once("close", () => resolve());
      socket.destroy();
    });
  }
}
