// The data plane of the IoT Core twin: one TLS listener on 127.0.0.1 for every account, MQTT over
// mTLS and over SigV4 WebSocket, one broker per account (aws-iot §1.2, §4).
import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import type { Account, RegistryChange, RegistryView } from "../registry/types.ts";
import { AccountBroker, type BrokerObserver } from "./account-broker.ts";
import { certificateIdOf, resolveCertificate } from "./admission.ts";
import { PolicyCache } from "./authorizer.ts";
import { asDataPlaneError, DataPlaneError, type DataPlaneErrorCode } from "./errors.ts";
import { principalIdentifier, type ConnectionContext, type DisconnectReason } from "./session.ts";
import { TlsListener, type ServerCredentials } from "./tls-listener.ts";
import { WebSocketGateway } from "./websocket-upgrade.ts";
import { ShadowStore } from "./services/shadow/shadow-store.ts";

export interface DataPlaneOptions {
  registry: RegistryView;
  /** Server certificate and key for an endpoint host, chaining to the twin's root CA (aws-iot §5). */
  serverCredentials(hostname: string): ServerCredentials;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port, kept across stop()/start(). */
  port?: number;
  /** Epoch ms for event timestamps and SigV4 expiry; default Date.now. */
  now?: () => number;
  /** Where Device Shadow documents are kept across restarts; in memory only when undefined. */
  shadowDir?: string;
}

export interface DataPlaneEvents {
  refused: [
    {
      accountId: string | undefined;
      clientId: string | undefined;
      code: DataPlaneErrorCode;
      message: string;
    },
  ];
  connected: [
    {
      accountId: string;
      clientId: string;
      principalIdentifier: string;
      transport: "mqtts" | "wss";
      sni: string | undefined;
      alpn: string | undefined;
    },
  ];
  disconnected: [{ accountId: string; clientId: string; reason: DisconnectReason }];
}

export class DataPlane extends EventEmitter<DataPlaneEvents> implements AsyncDisposable {
  readonly host: string;
  private readonly registry: RegistryView;
  private readonly now: () => number;
  private readonly cache = new PolicyCache();
  private readonly shadows: ShadowStore;
  private readonly brokers = new Map<string, Promise<AccountBroker>>();
  private readonly listener: TlsListener;
  private readonly gateway: WebSocketGateway;
  private readonly unsubscribe: () => void;
  private readonly observer: BrokerObserver;

  private constructor(options: DataPlaneOptions) {
    super();
    this.host = options.host ?? "127.0.0.1";
    this.registry = options.registry;
    this.now = options.now ?? Date.now;
    this.shadows = new ShadowStore(options.shadowDir);
    this.observer = {
      refused: (accountId, e, clientId) =>
        this.emit("refused", { accountId, clientId, code: e.code, message: e.message }),
      connected: (accountId, s) => {
        const { transport, sni, alpn } = s.context;
        const principal = principalIdentifier(s.context.principal);
        this.emit("connected", {
          accountId,
          clientId: s.clientId,
          principalIdentifier: principal,
          transport,
          sni,
          alpn,
        });
      },
      disconnected: (accountId, s, reason) =>
        this.emit("disconnected", { accountId, clientId: s.clientId, reason }),
    };
    this.listener = new TlsListener({
      host: this.host,
      port: options.port ?? 0,
      credentials: (name) => options.serverCredentials(this.serverName(name)),
      onMqtt: (socket) => this.acceptMqtt(socket),
      onHttp: (socket) => this.gateway.accept(socket),
    });
    this.gateway = new WebSocketGateway({
      registry: this.registry,
      now: this.now,
      onMqtt: (stream, account, accessKeyId, request) => {
        const context: ConnectionContext = {
          account,
          principal: { kind: "access-key", accessKeyId },
          ipAddress: ip(request.socket),
          transport: "wss",
          ...tlsDetails(request.socket as TLSSocket),
        };
        this.hand(stream, context, request);
      },
      onRefused: (e, account) => this.refused(e, account?.accountId),
    });
    this.unsubscribe = this.registry.subscribe((change) => this.onRegistryChange(change));
  }

  static async start(options: DataPlaneOptions): Promise<DataPlane> {
    const plane = new DataPlane(options);
    await Promise.all(plane.registry.accounts().map((a) => plane.brokerFor(a)));
    await plane.listener.start();
    return plane;
  }

  get port(): number {
    return this.listener.port;
  }

  /** Client ids connected to an account right now. */
  async clientIds(accountId: string): Promise<string[]> {
    return (await this.brokers.get(accountId))?.clientIds() ?? [];
  }

  /** Test control: ends every session as a server-side disconnect. */
  async disconnectAll(): Promise<void> {
    for (const broker of await Promise.all(this.brokers.values()))
      broker.disconnect("SERVER_INITIATED_DISCONNECT");
  }

  /** Test control (broker restart fault): drops every connection and stops listening; state is kept. */
  async stop(): Promise<void> {
    await this.disconnectAll();
    await this.listener.stop();
  }

  /** Listens again, on the same port. */
  async start(): Promise<void> {
    await this.listener.start();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.stop();
    this.gateway.close();
    await Promise.all([...this.brokers.values()].map(async (b) => (await b).close()));
    this.shadows.flush();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The name a server certificate is issued for: the endpoint, or the regional wildcard without SNI (aws-iot §5). */
  private serverName(sni: string | undefined): string {
    if (sni && this.registry.accountByEndpoint(sni)) return sni;
    const region = this.registry.accounts()[0]?.region ?? "us-east-1";
    return `*.iot.${region}.amazonaws.com`;
  }

  private brokerFor(account: Account): Promise<AccountBroker> {
    let broker = this.brokers.get(account.accountId);
    if (!broker) {
      broker = AccountBroker.create({
        account,
        registry: this.registry,
        cache: this.cache,
        now: this.now,
        observer: this.observer,
        shadows: this.shadows.account(account.accountId),
      });
      this.brokers.set(account.accountId, broker);
    }
    return broker;
  }

  private acceptMqtt(socket: TLSSocket): void {
    const der = socket.getPeerX509Certificate()?.raw;
    const certificateId = der && certificateIdOf(der);
    const sni = typeof socket.servername === "string" ? socket.servername : undefined;
    let account: Account | undefined;
    try {
      if (!der || !certificateId) {
        throw new DataPlaneError("NO_CLIENT_CERTIFICATE", "no client certificate was presented");
      }
      // With SNI the endpoint names the account; without it, a DEFAULT-mode certificate does.
      account = sni
        ? this.registry.accountByEndpoint(sni)
        : resolveCertificate(this.registry, certificateId, sni).account;
      if (!account) throw new DataPlaneError("UNKNOWN_ENDPOINT", `no account has the endpoint ${sni}`);
    } catch (e) {
      return this.refuseAtConnect(socket, asDataPlaneError(e));
    }
    const context: ConnectionContext = {
      account,
      principal: { kind: "certificate", certificateId, certificateDer: der },
      ipAddress: ip(socket),
      transport: "mqtts",
      ...tlsDetails(socket),
    };
    this.hand(socket, context);
  }

  private hand(stream: Duplex, context: ConnectionContext, request?: IncomingMessage): void {
    this.brokerFor(context.account).then(
      (broker) => broker.accept(stream, context, request),
      () => stream.destroy(),
    );
  }

  /** aws-iot §4.2: the handshake completed; the CONNECT gets no CONNACK, the connection just ends. */
  private refuseAtConnect(socket: TLSSocket, error: DataPlaneError): void {
    socket.once("data", () => {
      this.refused(error, undefined);
      socket.destroy();
    });
    socket.resume();
  }

  private refused(e: DataPlaneError, accountId: string | undefined): void {
    this.emit("refused", { accountId, clientId: undefined, code: e.code, message: e.message });
  }

  private onRegistryChange(change: RegistryChange): void {
    const ends =
      (change.kind === "certificate-status" && change.status !== "ACTIVE") ||
      change.kind === "certificate-deleted";
    if (!ends) return;
    // aws-iot §1.4: leaving ACTIVE disconnects every session of the certificate.
    void this.brokers
      .get(change.accountId)
      ?.then((b) =>
        b.disconnect(
          "AUTH_ERROR",
          (s) =>
            s.context.principal.kind === "certificate" &&
            s.context.principal.certificateId === change.certificateId,
        ),
      );
  }
}

const tlsDetails = (socket: TLSSocket): { sni: string | undefined; alpn: string | undefined } => ({
  sni: typeof socket.servername === "string" ? socket.servername : undefined,
  alpn: typeof socket.alpnProtocol === "string" ? socket.alpnProtocol : undefined,
});

const ip = (socket: { remoteAddress?: string | undefined }): string =>
  (socket.remoteAddress ?? "").replace(/^::ffff:/, "");

export const startDataPlane = (options: DataPlaneOptions): Promise<DataPlane> => DataPlane.start(options);
