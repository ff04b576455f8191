// One account's MQTT broker: aedes speaks MQTT 3.1.1, and its hooks apply IoT Core's rules (aws-iot §4).
// Accounts never share topics, retained messages or client ids, so each gets its own broker.
import type { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Aedes, type AedesPublishPacket, type Client, type ConnectPacket, type PublishPacket } from "aedes";
import type { Subscription } from "aedes";
import type { Account, RegistryView } from "../registry/types.ts";
import { admitConnect, ConnectRefused } from "./admission.ts";
import type { PolicyCache } from "./authorizer.ts";
import { asDataPlaneError, DataPlaneError, type DataPlaneErrorCode } from "./errors.ts";
import {
  connectedEvent,
  connectFailedEvent,
  disconnectedEvent,
  hasLifecycleEvents,
  subscriptionEvent,
  VersionNumbers,
  type LifecycleMessage,
} from "./lifecycle-events.ts";
import {
  principalIdentifier,
  type ConnectionContext,
  type DisconnectReason,
  type Session,
} from "./session.ts";
import { authorizePublish, authorizeSubscribe, forgetSubscription, mayReceive } from "./message-rules.ts";
import { clampKeepAlive } from "./topic-rules.ts";
import { ReservedTopicServices } from "./services/reserved-topic-services.ts";
import type { AccountShadows } from "./services/shadow/shadow-store.ts";

export interface BrokerObserver {
  refused(accountId: string, error: DataPlaneError, clientId: string | undefined): void;
  connected(accountId: string, session: Session): void;
  disconnected(accountId: string, session: Session, reason: DisconnectReason): void;
}

export interface AccountBrokerOptions {
  account: Account;
  registry: RegistryView;
  cache: PolicyCache;
  /** Epoch ms, for event timestamps. */
  now: () => number;
  observer: BrokerObserver;
  /** The account's Device Shadow documents. */
  shadows: AccountShadows;
}

const REASON: Partial<Record<DataPlaneErrorCode, DisconnectReason>> = {
  PUBLISH_NOT_AUTHORIZED: "AUTH_ERROR",
  SUBSCRIBE_NOT_AUTHORIZED: "AUTH_ERROR",
  TOPIC_RESERVED: "FORBIDDEN_ACCESS",
  INTERNAL_ERROR: "SERVER_ERROR",
};
const reasonFor = (e: unknown): DisconnectReason => {
  if (e instanceof DataPlaneError) return REASON[e.code] ?? "CLIENT_ERROR";
  const code = (e as { code?: unknown }).code;
  // A transport failure is a lost connection; anything else the client sent wrong (aws-iot §4.6).
  return code === "ECONNRESET" || code === "EPIPE" || code === "ETIMEDOUT"
    ? "CONNECTION_LOST"
    : "CLIENT_ERROR";
};

// aedes 1.x marks a client that sent DISCONNECT with this flag and emits no event for it.
const sentDisconnect = (client: Client): boolean =>
  (client as unknown as { _disconnected?: boolean })._disconnected === true;

export class AccountBroker {
  readonly account: Account;
  private readonly aedes: Aedes;
  private readonly contexts = new WeakMap<object, ConnectionContext>();
  private readonly sessions = new WeakMap<Client, Session>();
  private readonly live = new Map<string, { session: Session; client: Client }>();
  private readonly versions = new VersionNumbers();
  private readonly services: ReservedTopicServices;

  private constructor(private readonly options: AccountBrokerOptions) {
    this.account = options.account;
    this.services = new ReservedTopicServices(options.shadows);
    this.aedes = new Aedes({
      // aws-iot §4.3: client ids up to 128 bytes (the 3.1.0 limit of 23 does not apply to IoT Core).
      maxClientsIdLength: 128,
      preConnect: (client, packet, done) => this.preConnect(client, packet, done),
      authorizePublish: (client, packet, done) => this.authorizePublish(client, packet, done),
      authorizeSubscribe: (client, sub, done) => this.authorizeSubscribe(client, sub, done),
      authorizeForward: (client, packet) => this.authorizeForward(client, packet),
    });
    // Only a failing persistence emits this; the memory one does not, and the twin must not crash on it.
    const emitter: EventEmitter = this.aedes;
    emitter.on("error", () => {});
    // aedes registers the client before it writes the CONNACK, and reports it ready after: a session must be
    // live (for clientIds(), disconnects on revocation) by the time the client can see the CONNACK.
    this.aedes.on("client", (client) => this.onRegistered(client));
    this.aedes.on("clientReady", (client) => this.onReady(client));
    this.aedes.on("clientDisconnect", (client) => this.onDisconnect(client));
    // Emitted once the broker has routed an authorised PUBLISH; the broker's own messages have no client.
    this.aedes.on("publish", (packet, client) => {
      if (client) this.serve(packet, client);
    });
    this.aedes.on("keepaliveTimeout", (client) => this.endWith(client, "MQTT_KEEP_ALIVE_TIMEOUT"));
    this.aedes.on("clientError", (client, error) => this.endWith(client, reasonFor(error)));
    this.aedes.on("subscribe", (subscriptions, client) => {
      // Refused filters are reported with granted QoS 128 (0x80).
      const topics = subscriptions.filter((s) => (s.qos as number) !== 128).map((s) => s.topic);
      this.subscriptionEvent(client, "subscribed", topics);
    });
    this.aedes.on("unsubscribe", (filters, client) => {
      const session = this.sessions.get(client);
      for (const f of filters) if (session) forgetSubscription(session, f);
      // aedes also reports the subscriptions a closing connection drops; AWS reports only UNSUBSCRIBE.
      if (!client.closed) this.subscriptionEvent(client, "unsubscribed", filters);
    });
  }

  static async create(options: AccountBrokerOptions): Promise<AccountBroker> {
    const broker = new AccountBroker(options);
    await broker.aedes.listen();
    return broker;
  }

  /** Hands a byte stream (TLS socket or WebSocket stream) whose principal is known to the broker. */
  accept(stream: Duplex, context: ConnectionContext, request?: IncomingMessage): void {
    this.contexts.set(stream, context);
    this.aedes.handle(stream, request);
  }

  clientIds(): string[] {
    return [...this.live.keys()];
  }

  /** Ends the matching live sessions; the lifecycle event carries `reason`. */
  disconnect(reason: DisconnectReason, match: (session: Session) => boolean = () => true): void {
    for (const { session, client } of [...this.live.values()]) {
      if (!match(session)) continue;
      session.disconnectReason ??= reason;
      client.close();
    }
  }

  close(): Promise<void> {
    this.disconnect("SERVER_INITIATED_DISCONNECT");
    return new Promise((resolve) => this.aedes.close(() => resolve()));
  }

  private preConnect(
    client: Client,
    packet: ConnectPacket,
    done: (e: Error | null, ok: boolean) => void,
  ): void {
    const context = this.contexts.get(client.conn);
    if (!context) return done(new Error("connection has no context"), false);
    try {
      const admitted = admitConnect(this.options.registry, this.options.cache, context, packet);
      packet.keepalive = clampKeepAlive(packet.keepalive ?? 0);
      const previous = this.live.get(packet.clientId);
      // aws-iot §4.3: the new connection wins; aedes closes the old one while registering this one.
      if (previous) previous.session.disconnectReason ??= "DUPLICATE_CLIENTID";
      this.sessions.set(client, {
        clientId: packet.clientId,
        context,
        thing: admitted.thing,
        authorizer: admitted.authorizer,
        sessionIdentifier: admitted.sessionIdentifier,
        versionNumber: this.versions.next(packet.clientId),
        subscriptions: new Set(),
        exactSubscriptions: new Set(),
        disconnectReason: undefined,
      });
      done(null, true);
    } catch (thrown) {
      const e = asDataPlaneError(thrown);
      if (e instanceof ConnectRefused && hasLifecycleEvents(packet.clientId)) {
        const failure = {
          clientId: packet.clientId,
          principalIdentifier: principalIdentifier(context.principal),
          sessionIdentifier: e.sessionIdentifier,
          ipAddress: context.ipAddress,
        };
        this.publishEvent(connectFailedEvent(failure, this.options.now()));
      }
      this.options.observer.refused(this.account.accountId, e, packet.clientId);
      // aws-iot §4.2: MQTT 3.1.1 clients see the connection closed without a CONNACK.
      done(e, false);
    }
  }

  private authorizePublish(
    client: Client | null,
    packet: PublishPacket,
    done: (e?: Error | null) => void,
  ): void {
    const session = client && this.sessions.get(client);
    if (!client || !session) return done(client ? new Error("no session") : null);
    try {
      authorizePublish(session, packet);
      done(null);
    } catch (thrown) {
      const e = asDataPlaneError(thrown);
      // The Last Will is authorised while the connection closes: refusing it only drops the will.
      if (!client.closed) this.refuse(session, e);
      done(e);
    }
  }

  private authorizeSubscribe(
    client: Client,
    sub: Subscription,
    done: (e: Error | null, s?: Subscription) => void,
  ) {
    const session = this.sessions.get(client);
    if (!session) return done(new Error("no session"));
    try {
      authorizeSubscribe(session, sub.topic, sub.qos);
      done(null, sub);
    } catch (thrown) {
      const e = asDataPlaneError(thrown);
      this.refuse(session, e);
      done(e);
    }
  }

  private authorizeForward(client: Client, packet: AedesPublishPacket): AedesPublishPacket | null {
    const session = this.sessions.get(client);
    // Only retained messages replayed on SUBSCRIBE still carry the flag here (aedes clears it on live ones).
    return session && mayReceive(session, packet.topic, packet.retain) ? packet : null;
  }

  private refuse(session: Session, error: DataPlaneError): void {
    session.disconnectReason ??= reasonFor(error);
    this.options.observer.refused(this.account.accountId, error, session.clientId);
  }

  private endWith(client: Client, reason: DisconnectReason): void {
    const session = this.sessions.get(client);
    if (session) session.disconnectReason ??= reason;
  }

  private onRegistered(client: Client): void {
    const session = this.sessions.get(client);
    if (session) this.live.set(session.clientId, { session, client });
  }

  private onReady(client: Client): void {
    const session = this.sessions.get(client);
    if (!session) return;
    if (hasLifecycleEvents(session.clientId)) this.publishEvent(connectedEvent(session, this.options.now()));
    this.options.observer.connected(this.account.accountId, session);
  }

  private onDisconnect(client: Client): void {
    const session = this.sessions.get(client);
    if (!session) return;
    if (this.live.get(session.clientId)?.session === session) this.live.delete(session.clientId);
    const reason =
      session.disconnectReason ??
      (sentDisconnect(client) ? "CLIENT_INITIATED_DISCONNECT" : "CONNECTION_LOST");
    if (hasLifecycleEvents(session.clientId)) {
      this.publishEvent(disconnectedEvent(session, this.options.now(), reason));
    }
    this.options.observer.disconnected(this.account.accountId, session, reason);
  }

  private subscriptionEvent(client: Client, kind: "subscribed" | "unsubscribed", topics: string[]): void {
    const session = this.sessions.get(client);
    if (!session || topics.length === 0 || !hasLifecycleEvents(session.clientId)) return;
    this.publishEvent(subscriptionEvent(session, this.options.now(), kind, topics));
  }

  /** Hands a PUBLISH on a reserved service topic to the service behind the broker (shadow, jobs, defender). */
  private serve(packet: AedesPublishPacket, client: Client): void {
    if (!packet.topic.startsWith("$aws/things/")) return;
    const payload = typeof packet.payload === "string" ? Buffer.from(packet.payload) : packet.payload;
    try {
      this.services.handle(
        { topic: packet.topic, payload, now: this.options.now() },
        {
          broadcast: (topic, body) => this.aedes.publish(jsonPacket(topic, body), () => {}),
          // client.publish still passes authorizeForward, so iot:Receive decides delivery.
          reply: (topic, body) => {
            if (!client.closed) client.publish(jsonPacket(topic, body), () => {});
          },
        },
      );
    } catch (thrown) {
      // A service failure answers nothing (as a lost response would); it never ends the session.
      const session = this.sessions.get(client);
      this.options.observer.refused(this.account.accountId, asDataPlaneError(thrown), session?.clientId);
    }
  }

  private publishEvent(message: LifecycleMessage): void {
    this.aedes.publish(jsonPacket(message.topic, message.payload), () => {});
  }
}

const jsonPacket = (topic: string, body: unknown): PublishPacket => ({
  cmd: "publish",
  topic,
  payload: Buffer.from(JSON.stringify(body)),
  qos: 1,
  retain: false,
  dup: false,
});
