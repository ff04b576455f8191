// The ser2net-style TCP link: one client at a time, and a clean close whatever clients did.
import { EventEmitter } from "node:events";
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { TextCollector } from "../../test/support/byte-channel.ts";
import type { UartPins } from "./board-port.ts";
import { openTcpPort } from "./tcp.ts";

/** An echoing UART: what the host writes comes back. */
class EchoPins extends EventEmitter implements UartPins {
  receive(bytes: Buffer): void {
    this.emit("data", bytes);
  }
}

function client(path: string): Promise<Socket> {
  const url = new URL(path);
  const socket = connect(Number(url.port), url.hostname);
  return new Promise((resolve, reject) =>
    socket.once("connect", () => resolve(socket)).once("error", reject),
  );
}

describe("TCP link", () => {
  it("serves one client, refuses a second one, and closes even after the refused client wrote", async () => {
    const port = await openTcpPort(new EchoPins());
    const a = await client(port.path);
    const rxA = new TextCollector();
    a.on("data", (b) => rxA.push(b));
    const b = await client(port.path);
    const rxB = new TextCollector();
    b.on("data", (d) => rxB.push(d));
    b.on("error", () => {});
    await rxB.until("Port already in use\r\n");
    b.write("x");
    a.write("hello");
    await rxA.until("hello");
    const closed = await Promise.race([
      port.close().then(() => "closed"),
      new Promise((resolve) => setTimeout(() => resolve("still open"), 5000)),
    ]);
    expect(closed).toBe("closed");
    a.destroy();
    b.destroy();
  });
});
