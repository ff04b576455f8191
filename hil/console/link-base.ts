// Shared plumbing of the SerialLink implementations: typed events and the open/closed state.
import { EventEmitter } from "node:events";
import { SerialDisconnectedError } from "./errors.ts";
import type { SerialLink, SerialLinkEvents } from "./serial-link.ts";

export abstract class LinkBase extends EventEmitter<SerialLinkEvents> implements SerialLink, AsyncDisposable {
  abstract readonly target: string;
  protected opened = false;
  /** Set while `close()` runs, so the close event carries no error. */
  protected closing = false;

  get isOpen(): boolean {
    return this.opened;
  }

  abstract open(): Promise<void>;
  protected abstract send(bytes: Buffer): Promise<void>;
  protected abstract disconnect(): Promise<void>;

  async write(bytes: Buffer): Promise<void> {
    if (!this.opened) throw new SerialDisconnectedError(`${this.target} is not open`);
    await this.send(bytes);
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.closing = true;
    try {
      await this.disconnect();
    } finally {
      this.closing = false;
      this.closed(undefined);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  protected connected(): void {
    this.opened = true;
    this.emit("open");
  }

  /** Called once per connection by the implementation when it goes away, for whatever reason. */
  protected closed(error: Error | undefined): void {
    if (!this.opened) return;
    this.opened = false;
    const reason = this.closing
      ? undefined
      : (error ?? new SerialDisconnectedError(`${this.target} went away`));
    this.emit("close", reason);
  }
}
