// The board's UART as a raw TCP port, as ser2net exposes racked boards: one client at a time.
import { createServer, type Socket } from "node:net";
import type { BoardPort, UartPins } from "./board-port.ts";
import { wire, type Wire } from "./wire.ts";

export async function openTcpPort(pins: UartPins, baud = 0, port = 0): Promise<BoardPort> {
  let client: { socket: Socket; link: Wire } | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    if (client) {
      // ser2net refuses a second connection to a port that is in use; what it sends is ignored.
      socket.on("error", () => {});
      socket.end("Port already in use\r\n", () => socket.destroy());
      return;
    }
    socket.setNoDelay(true);
    const link = wire(pins, (bytes) => socket.write(bytes), baud);
    client = { socket, link };
    socket.on("data", (bytes) => link.fromHost(bytes));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      link.close();
      if (client?.socket === socket) client = undefined;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    path: `tcp://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
