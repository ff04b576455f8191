// The boundary between the harness and a board's UART (style.md rule 1): a tty, a ser2net TCP port or
// the in-process twin all implement this, and the console sees nothing else. No dependencies on purpose.

export interface SerialLinkEvents {
  /** The link is (again) connected to the board. */
  open: [];
  /** Bytes from the board, in the order they arrived; chunk boundaries carry no meaning. */
  data: [bytes: Buffer];
  /** The link went away; `error` is set when it was not closed by `close()` (unplugged, reset, server gone). */
  close: [error?: Error];
}

export interface SerialLink {
  /** What the link points at, for messages and reports: a tty path, `tcp://host:port` or a name. */
  readonly target: string;
  readonly isOpen: boolean;
  /** Connects; may be called again after a `close` event to reconnect. Rejects when the port is absent. */
  open(): Promise<void>;
  /** Resolves once the bytes are handed to the OS (or the twin); rejects when the link is closed. */
  write(bytes: Buffer): Promise<void>;
  /** Disconnects on purpose; the `close` event then carries no error. */
  close(): Promise<void>;
  on<E extends keyof SerialLinkEvents>(event: E, listener: (...args: SerialLinkEvents[E]) => void): unknown;
  off<E extends keyof SerialLinkEvents>(event: E, listener: (...args: SerialLinkEvents[E]) => void): unknown;
}
