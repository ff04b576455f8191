// The one TLS 1.2+ listener every account shares (aws-iot §4.1): SNI picks the server certificate,
// client certificates are requested but not chain-checked (MAR, aws-iot §4.2), and the first bytes
// tell MQTT (CONNECT) from HTTP (the WebSocket upgrade), as AWS serves both on 443.
import { constants } from "node:crypto";
import { createServer, createSecureContext, type SecureContext, type Server, type TLSSocket } from "node:tls";

export interface ServerCredentials {
  /** PEM private key of the server certificate. */
  key: string | Buffer;
  /** PEM server certificate, optionally followed by its chain. */
  cert: string | Buffer;
}

export interface TlsListenerOptions {
  host: string;
  port: number;
  /** Credentials for the name the client sent in SNI (undefined: no SNI). */
  credentials(servername: string | undefined): ServerCredentials;
  onMqtt(socket: TLSSocket): void;
  onHttp(socket: TLSSocket): void;
}

// A TLS peer that never sends its first packet is dropped like aedes drops a silent MQTT client.
const FIRST_BYTES_TIMEOUT_MS = 30_000;
// aws-iot §4.1: x-amzn-mqtt-ca on 443 (the CRT sends it on 8883 too), mqtt for custom auth, http/1.1 for wss.
const ALPN = ["x-amzn-mqtt-ca", "mqtt", "http/1.1"];

export class TlsListener {
  private server: Server | undefined;
  private readonly sockets = new Set<TLSSocket>();
  private readonly contexts = new Map<string, SecureContext>();
  private boundPort: number;

  constructor(private readonly options: TlsListenerOptions) {
    this.boundPort = options.port;
  }

  get port(): number {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer({
      ...this.options.credentials(undefined),
      SNICallback: (name, cb) => {
        try {
          cb(null, this.contextFor(name));
        } catch (e) {
          cb(e as Error, undefined);
        }
      },
      requestCert: true,
      // MAR: client certificates are self-signed or from an unregistered CA; the registry decides.
      rejectUnauthorized: false,
      minVersion: "TLSv1.2",
      ALPNProtocols: ALPN,
      // aws-iot §4.1: the SessionTicket extension is not supported.
      secureOptions: constants.SSL_OP_NO_TICKET,
    });
    server.on("secureConnection", (socket) => this.route(socket));
    server.on("tlsClientError", () => {});
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.boundPort, this.options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === "object") this.boundPort = address.port;
    this.server = server;
  }

  /** Stops accepting and drops every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private contextFor(name: string): SecureContext {
    const key = name.toLowerCase();
    let context = this.contexts.get(key);
    if (!context) {
      context = createSecureContext(this.options.credentials(key));
      this.contexts.set(key, context);
    }
    return context;
  }

  private route(socket: TLSSocket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    socket.on("error", () => {});
    // MQTT is request/response (PUBLISH → PUBACK): Nagle's algorithm would hold each small answer back.
    socket.setNoDelay(true);
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      socket.setTimeout(0);
      socket.unshift(chunk);
      const first = chunk[0] ?? 0;
      // An HTTP request line starts with an upper-case method; an MQTT stream with a packet type byte.
      // The socket stays paused: the protocol handler starts reading when it is ready.
      if (first >= 0x41 && first <= 0x5a) this.options.onHttp(socket);
      else this.options.onMqtt(socket);
    });
  }
}
