// MQTT over secure WebSocket with a SigV4-signed URL (aws-iot §4.1): `GET /mqtt?X-Amz-…` with the
// `mqtt` subprotocol. A bad signature gets `403 Forbidden` and no WebSocket.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import { createWebSocketStream, WebSocketServer } from "ws";
import type { Account, RegistryView } from "../registry/types.ts";
import { asDataPlaneError, DataPlaneError } from "./errors.ts";
import { verifySignedUrl } from "./sigv4-query.ts";

export interface WebSocketGatewayOptions {
  registry: RegistryView;
  now: () => number;
  /** A verified upgrade: its MQTT byte stream, the account and key it authenticated as. */
  onMqtt(stream: Duplex, account: Account, accessKeyId: string, request: IncomingMessage): void;
  onRefused(error: DataPlaneError, account: Account | undefined): void;
}

// Room for a 128 KB PUBLISH plus headers: the MQTT layer, not the WebSocket layer, enforces the limit.
const MAX_FRAME_BYTES = 1024 * 1024;

const hostOf = (value: string | undefined): string => (value ?? "").replace(/:\d+$/, "").toLowerCase();

function reject(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

export class WebSocketGateway {
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  constructor(private readonly options: WebSocketGatewayOptions) {
    this.http = createServer((_req, res) => {
      res.writeHead(426, { "Content-Type": "application/json", Connection: "close" });
      res.end(JSON.stringify({ message: "Upgrade Required" }));
    });
    this.http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
    this.http.on("clientError", (_e, socket) => socket.destroy());
  }

  /** Serves HTTP on a TLS socket whose first bytes looked like a request. */
  accept(socket: TLSSocket): void {
    this.http.emit("connection", socket);
    socket.resume();
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { registry } = this.options;
    const sni = (req.socket as TLSSocket).servername;
    const account = registry.accountByEndpoint(typeof sni === "string" ? sni : hostOf(req.headers.host));
    if (new URL(req.url ?? "/", "http://h").pathname !== "/mqtt")
      return reject(socket, 404, "Not Found", "Not Found");
    try {
      if (!account) throw new DataPlaneError("UNKNOWN_ENDPOINT", "no account has this endpoint");
      const identity = verifySignedUrl(
        { url: req.url ?? "", headers: req.headers, now: this.options.now() },
        (id) => registry.accessKey(id)?.secretAccessKey,
      );
      if (registry.accessKey(identity.accessKeyId)?.accountId !== account.accountId) {
        throw new DataPlaneError("SIGV4_INVALID", "the access key belongs to another account");
      }
      if (identity.region !== account.region) {
        throw new DataPlaneError("SIGV4_INVALID", `credential scope region must be ${account.region}`);
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const stream = createWebSocketStream(ws);
        stream.on("error", () => {});
        this.options.onMqtt(stream, account, identity.accessKeyId, req);
      });
    } catch (thrown) {
      const e = asDataPlaneError(thrown);
      this.options.onRefused(e, account);
      if (e.code === "INTERNAL_ERROR") reject(socket, 500, "Internal Server Error", "Internal Server Error");
      else reject(socket, 403, "Forbidden", e.message);
    }
  }
}
