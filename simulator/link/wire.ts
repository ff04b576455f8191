// Connects a board's UART pins to a host transport, optionally paced at the configured baud rate.
import type { UartPins } from "./board-port.ts";
import { Pacer } from "./pacer.ts";

export interface Wire {
  /** Host-to-board bytes. */
  fromHost(bytes: Buffer): void;
  close(): void;
}

export function wire(pins: UartPins, toHost: (bytes: Buffer) => void, baud: number): Wire {
  const out = new Pacer(baud, toHost);
  const input = new Pacer(baud, (bytes) => pins.receive(bytes));
  const onData = (bytes: Buffer): void => out.write(bytes);
  pins.on("data", onData);
  return {
    fromHost: (bytes) => input.write(bytes),
    close: () => {
      pins.off("data", onData);
      out.close();
      input.close();
    },
  };
}
