// Test fixture: an HTTP CONNECT proxy that tunnels every target to the data plane on 127.0.0.1. The
// aws-crt clients resolve and connect to their endpoint themselves; through the tunnel they still
// send the endpoint as SNI (and Host), so they reach the twin exactly as they would reach AWS.
import { connect, createServer, type Socket } from "node:net";

export class ConnectProxy implements AsyncDisposable {
  /** `host:port` of every CONNECT request, in order. */
  readonly targets: string[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((client) => this.serve(client));

  constructor(private readonly targetPort: () => number) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    return typeof address === "object" && address ? address.port : 0;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => {});
  }

  private serve(client: Socket): void {
    this.track(client);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      client.off("data", onData);
      const match = /^CONNECT (\S+) HTTP\/1\.[01]\r\n/.exec(head.subarray(0, end).toString("latin1"));
      if (!match) return void client.end("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
      this.targets.push(match[1] ?? "");
      const upstream = connect(this.targetPort(), "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection established\r\n\r\n");
        const rest = head.subarray(end + 4);
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      this.track(upstream);
      upstream.on("close", () => client.destroy());
      client.on("close", () => upstream.destroy());
    };
    client.on("data", onData);
  }
}
