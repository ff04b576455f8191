// The board's UART as a Node Duplex stream, for unit tests and in-process runs.
import { Duplex } from "node:stream";
import type { BoardPort, UartPins } from "./board-port.ts";
import { wire } from "./wire.ts";

export interface InProcessPort extends BoardPort {
  readonly stream: Duplex;
}

export function openInProcessPort(pins: UartPins, baud = 0): InProcessPort {
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      connection.fromHost(chunk);
      callback();
    },
    destroy(error, callback) {
      connection.close();
      callback(error);
    },
  });
  const connection = wire(pins, (bytes) => stream.push(bytes), baud);
  return {
    path: "",
    stream,
    close: async () => {
      connection.close();
      stream.destroy();
    },
  };
}
