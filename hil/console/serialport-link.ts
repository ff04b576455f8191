// A tty through the `serialport` package, framed as the board's console is (§1.1: 115200 8N1, no flow
// control). Optionally found by USB serial number, which survives re-enumeration when the tty name does not.
import { stat } from "node:fs/promises";
import { SerialPort } from "serialport";
import { PortNotFoundError, SerialDisconnectedError } from "./errors.ts";
import { LinkBase } from "./link-base.ts";

export interface PortListing {
  path: string;
  serialNumber?: string | undefined;
}

export interface SerialPortLinkOptions {
  /** Default 115200 (§1.1). */
  baudRate?: number;
  /** The ST-LINK's USB serial number: the tty is looked up by it at each (re)open. */
  serialNumber?: string;
  /** Port enumeration; `SerialPort.list` unless a test passes its own. */
  list?: () => Promise<PortListing[]>;
  /** How often the device node is checked for presence while open. Default 250 ms. */
  presenceCheckMs?: number;
}

export class SerialPortLink extends LinkBase {
  private port: SerialPort | undefined;
  private currentPath: string;
  private presence: NodeJS.Timeout | undefined;

  /** `path` may be empty when `serialNumber` is given. */
  constructor(
    path: string,
    private readonly options: SerialPortLinkOptions = {},
  ) {
    super();
    this.currentPath = path;
  }

  get target(): string {
    const sn = this.options.serialNumber;
    return sn ? `${this.currentPath || "?"} (USB serial ${sn})` : this.currentPath;
  }

  /** The tty with the configured USB serial number, or the given path when there is none. */
  async resolvePath(): Promise<string> {
    const sn = this.options.serialNumber;
    if (!sn) return this.currentPath;
    const ports = await (this.options.list ?? (() => SerialPort.list()))();
    const found = ports.find((p) => p.serialNumber?.toLowerCase() === sn.toLowerCase());
    if (!found) {
      throw new PortNotFoundError(
        `no serial port with USB serial number ${sn} (seen: ${ports.map((p) => `${p.path}=${p.serialNumber ?? "-"}`).join(", ") || "none"})`,
      );
    }
    return found.path;
  }

  async open(): Promise<void> {
    if (this.opened) return;
    this.currentPath = await this.resolvePath();
    const port = new SerialPort({
      path: this.currentPath,
      baudRate: this.options.baudRate ?? 115200,
      dataBits: 8,
      parity: "none",
      stopBits: 1,
      rtscts: false,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) =>
      port.open((e) => (e ? reject(new SerialDisconnectedError(`${this.target}: ${e.message}`)) : resolve())),
    );
    port.on("data", (bytes: Buffer) => this.emit("data", bytes));
    port.on("error", () => {});
    port.once("close", (e: Error | null) => {
      // A port already given up by `vanished` must not close the connection that replaced it.
      if (this.port !== port) return;
      clearInterval(this.presence);
      this.port = undefined;
      this.closed(e ? new SerialDisconnectedError(`${this.target}: ${e.message}`) : undefined);
    });
    this.port = port;
    try {
      await this.watchPresence(port);
    } catch (e) {
      this.port = undefined;
      port.close(() => {});
      throw new SerialDisconnectedError(`${this.target}: ${(e as Error).message}`);
    }
    this.connected();
  }

  /**
   * The `serialport` reader does not always see a hang-up: on a PTY whose other side closed, Linux
   * returns end-of-file and the binding retries the read forever. The device node tells the truth:
   * gone (USB unplugged, socat exited) or replaced by another device means this connection is over.
   */
  private async watchPresence(port: SerialPort): Promise<void> {
    const path = this.currentPath;
    const { rdev, ino } = await stat(path);
    this.presence = setInterval(() => {
      stat(path).then(
        (now) =>
          (now.rdev !== rdev || now.ino !== ino) && this.vanished(port, `${path} is now another device`),
        () => this.vanished(port, `${path} disappeared`),
      );
    }, this.options.presenceCheckMs ?? 250);
    this.presence.unref();
  }

  private vanished(port: SerialPort, reason: string): void {
    clearInterval(this.presence);
    if (this.port !== port) return;
    this.port = undefined;
    port.close(() => {});
    this.closed(new SerialDisconnectedError(`${this.target}: ${reason}`));
  }

  protected send(bytes: Buffer): Promise<void> {
    const port = this.port;
    if (!port) return Promise.reject(new SerialDisconnectedError(`${this.target} is not open`));
    const fail = (e: Error): SerialDisconnectedError =>
      new SerialDisconnectedError(`${this.target}: ${e.message}`);
    return new Promise((resolve, reject) =>
      port.write(bytes, (e) => (e ? reject(fail(e)) : port.drain((d) => (d ? reject(fail(d)) : resolve())))),
    );
  }

  protected disconnect(): Promise<void> {
    clearInterval(this.presence);
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }
}
