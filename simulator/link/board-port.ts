// How a host reaches a simulated board's UART. Each kind of link (in-process, PTY, TCP) implements this.

export interface BoardPort {
  /** What a serial client opens: a tty path or `tcp://127.0.0.1:PORT`; empty for in-process ports. */
  readonly path: string;
  close(): Promise<void>;
}

/** The board side of a link: bytes from the host in, bytes to the host out. */
export interface UartPins {
  receive(bytes: Buffer): void;
  on(event: "data", listener: (bytes: Buffer) => void): unknown;
  off(event: "data", listener: (bytes: Buffer) => void): unknown;
}

export class LinkUnavailableError extends Error {
  readonly code = "LINK_UNAVAILABLE";
  readonly fault = "harness";
}
