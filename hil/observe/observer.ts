// An MQTT observer of one account's data plane (aws-iot §8): its own client id, SigV4 WebSocket or
// its own mTLS certificate, every received message kept for assertions with deadlines.
import { randomBytes } from "node:crypto";
import type { IoTClient } from "@aws-sdk/client-iot";
import type { MqttClient } from "mqtt";
import { clientCredentials, resolveDataTarget, type DataTargetOptions } from "./data-target.ts";
import { ObserveError } from "./errors.ts";
import { describeEvent, lifecycleEvent, presenceFilter, preview } from "./lifecycle.ts";
import { openMqtt } from "./mqtt-connection.ts";
import { payloadMismatches, type Shape } from "./shape.ts";
import { topicMatches } from "./topic-filter.ts";
import type { LifecycleEvent, ObservedMessage, ObserverTransport, WaitOptions } from "./types.ts";
import { timeout, waitFor, type Outcome } from "./wait.ts";

export interface ObserverOptions extends DataTargetOptions {
  /** The account to observe: its DescribeEndpoint, Region, and (WebSocket) credentials. */
  iot: IoTClient;
  /** Default: SigV4 WebSocket with the IoTClient's own credentials. */
  transport?: ObserverTransport;
  /** Default `mar-hil-observer-<random>` (aws-iot §8: never the device's, so it never takes its session). */
  clientId?: string;
  /** CONNACK deadline, ms (default 10 000). */
  connectWithin?: number;
  signal?: AbortSignal;
  now?: () => number;
  /** Messages kept for assertions, oldest dropped first (default 10 000). */
  retain?: number;
}

export const OBSERVER_CLIENT_PREFIX = "mar-hil-observer-";

export class MqttObserver implements AsyncDisposable {
  private readonly log: ObservedMessage[] = [];
  private seq = 0;
  private readonly listeners = new Set<() => void>();
  private readonly filters = new Set<string>();
  private lost: { at: number; why: string } | undefined;
  private closing = false;

  private constructor(
    private readonly client: MqttClient,
    readonly clientId: string,
    readonly endpoint: string,
    private readonly now: () => number,
    private readonly retain: number,
  ) {
    client.on("message", (topic, payload) => {
      this.log.push({ seq: this.seq++, topic, payload, receivedAt: this.now() });
      if (this.log.length > this.retain) this.log.shift();
      this.changed();
    });
    let lastError = "";
    client.on("error", (e) => (lastError = e.message));
    client.on("close", () => {
      if (this.closing || this.lost) return;
      this.lost = { at: this.now(), why: lastError || "the broker closed the connection" };
      this.changed();
    });
  }

  static async connect(options: ObserverOptions): Promise<MqttObserver> {
    const target = await resolveDataTarget(options.iot, options);
    const transport = options.transport ?? { kind: "websocket", credentials: clientCredentials(options.iot) };
    const clientId = options.clientId ?? `${OBSERVER_CLIENT_PREFIX}${randomBytes(6).toString("hex")}`;
    const client = await openMqtt({
      target,
      transport,
      clientId,
      within: options.connectWithin ?? 10_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return new MqttObserver(
      client,
      clientId,
      target.endpoint,
      options.now ?? Date.now,
      options.retain ?? 10_000,
    );
  }

  /** Subscribes and waits for SUBACK, so nothing published afterwards is missed (aws-iot §8). */
  async watch(filters: string[], options: { within?: number; signal?: AbortSignal } = {}): Promise<void> {
    for (const filter of filters.filter((f) => !this.filters.has(f))) {
      const what = `SUBACK for ${filter}`;
      if (this.lost) throw this.lostError(what, "OBSERVER_DISCONNECTED");
      let answer: Outcome<readonly { qos: number }[]> | undefined;
      this.client.subscribeAsync(filter, { qos: 1 }).then(
        (granted) => {
          answer = { value: granted };
          this.changed();
        },
        (e: Error) => {
          answer = {
            error: new ObserveError("SUBSCRIBE_REFUSED", `SUBSCRIBE ${filter} failed: ${e.message}`),
          };
          this.changed();
        },
      );
      const granted = await waitFor({
        what,
        within: options.within ?? 10_000,
        ...(options.signal ? { signal: options.signal } : {}),
        now: this.now,
        subscribe: (f) => this.onChange(f),
        // aws-iot §4.4: a subscription the policy denies closes the connection (MQTT 3.1.1).
        check: () => answer ?? (this.lost ? { error: this.lostError(what, "SUBSCRIBE_REFUSED") } : undefined),
        atDeadline: (elapsed) => timeout(what, elapsed, []),
      });
      if (granted.some((g) => g.qos === 128)) {
        throw new ObserveError(
          "SUBSCRIBE_REFUSED",
          `the broker refused the subscription to ${filter} (SUBACK 0x80)`,
        );
      }
      this.filters.add(filter);
    }
  }

  /** Presence events of `clientId` and everything under its topic prefix (`<thing>/#`). */
  async watchDevice(
    clientId: string,
    options: { within?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    this.refuseOwnId(clientId);
    await this.watch([presenceFilter(clientId), `${clientId}/#`], options);
  }

  /** A cursor: `since: mark()` limits an assertion to what arrives afterwards. */
  mark(): number {
    return this.seq;
  }

  /** Messages kept so far, optionally only those matching `filter` and after `since`. */
  messages(filter?: string, since = 0): ObservedMessage[] {
    return this.log.filter((m) => m.seq >= since && (filter === undefined || topicMatches(filter, m.topic)));
  }

  /** The device's `connected` lifecycle event (aws-iot §4.6) within the deadline. */
  async expectConnected(clientId: string, options: WaitOptions): Promise<LifecycleEvent> {
    this.refuseOwnId(clientId);
    await this.watch([presenceFilter(clientId)], options);
    const what = `lifecycle event connected/${clientId}`;
    const events = (): LifecycleEvent[] =>
      this.messages(presenceFilter(clientId), options.since ?? 0).flatMap((m) => lifecycleEvent(m) ?? []);
    return this.waitFor(
      what,
      options,
      () => {
        const connected = events().find((e) => e.eventType === "connected");
        return connected ? { value: connected } : undefined;
      },
      () => events().map(describeEvent),
    );
  }

  /** At least `atLeast` (default 1) publications on `filter`, each matching `shape` when given. */
  async expectPublications(
    filter: string,
    options: WaitOptions & { atLeast?: number; shape?: Shape },
  ): Promise<ObservedMessage[]> {
    await this.watch([filter], options);
    const atLeast = options.atLeast ?? 1;
    const what = `≥ ${atLeast} publication(s) on ${filter}${options.shape ? " matching the shape" : ""}`;
    const on = (): ObservedMessage[] => this.messages(filter, options.since ?? 0);
    const fits = (m: ObservedMessage): boolean =>
      !options.shape || payloadMismatches(m.payload, options.shape).length === 0;
    return this.waitFor(
      what,
      options,
      () => {
        const matching = on().filter(fits);
        return matching.length >= atLeast ? { value: matching.slice(0, atLeast) } : undefined;
      },
      () => {
        const all = on();
        const misfits = all
          .filter((m) => !fits(m))
          .slice(-3)
          .map((m) => `${preview(m)} [${payloadMismatches(m.payload, options.shape!).join(", ")}]`);
        const recent = this.log.slice(-3).map((m) => preview(m));
        return [
          `${all.filter(fits).length} matching of ${all.length} on ${filter}`,
          ...misfits,
          ...(all.length === 0 && recent.length ? [`latest other: ${recent.join(" | ")}`] : []),
        ];
      },
    );
  }

  /** No `disconnected` event of `clientId` for `for` ms; the observer losing the broker also fails it. */
  async expectNoDisconnect(
    clientId: string,
    options: { for: number; signal?: AbortSignal; since?: number },
  ): Promise<void> {
    this.refuseOwnId(clientId);
    const since = options.since ?? this.mark();
    await this.watch([presenceFilter(clientId)], options);
    const what = `no disconnect of ${clientId} for ${options.for} ms`;
    const started = this.now();
    return waitFor<void>({
      what,
      within: options.for,
      ...(options.signal ? { signal: options.signal } : {}),
      now: this.now,
      subscribe: (f) => this.onChange(f),
      check: () => {
        const events = this.messages(presenceFilter(clientId), since).flatMap((m) => lifecycleEvent(m) ?? []);
        const gone = events.find((e) => e.eventType === "disconnected");
        const elapsedMs = this.now() - started;
        if (gone) {
          const fault = /^SERVER_|THROTTLED/.test(gone.disconnectReason ?? "") ? "cloud" : "device";
          return {
            error: new ObserveError(
              "UNEXPECTED_DISCONNECT",
              `${describeEvent(gone)} after ${elapsedMs} ms, while expecting ${what}`,
              { awaited: what, elapsedMs, seen: events.map(describeEvent), fault },
            ),
          };
        }
        if (this.lost) {
          return {
            error: new ObserveError(
              "UNEXPECTED_DISCONNECT",
              `the broker dropped the observer after ${elapsedMs} ms (${this.lost.why}), so ${clientId} cannot be vouched for, while expecting ${what}`,
              {
                awaited: what,
                elapsedMs,
                seen: [`observer connection lost: ${this.lost.why}`],
                fault: "cloud",
              },
            ),
          };
        }
        return undefined;
      },
      atDeadline: () => ({ value: undefined }),
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.client.endAsync(true).catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private waitFor<T>(
    what: string,
    options: WaitOptions,
    check: () => Outcome<T> | undefined,
    seen: () => string[],
  ): Promise<T> {
    return waitFor<T>({
      what,
      within: options.within,
      ...(options.signal ? { signal: options.signal } : {}),
      now: this.now,
      subscribe: (f) => this.onChange(f),
      check: () =>
        check() ?? (this.lost ? { error: this.lostError(what, "OBSERVER_DISCONNECTED", seen()) } : undefined),
      atDeadline: (elapsed) => timeout(what, elapsed, seen()),
    });
  }

  private lostError(
    what: string,
    code: "OBSERVER_DISCONNECTED" | "SUBSCRIBE_REFUSED",
    seen: string[] = [],
  ): ObserveError {
    const why = this.lost?.why ?? "closed";
    return new ObserveError(code, `the observer lost its connection (${why}) while waiting for ${what}`, {
      awaited: what,
      seen,
    });
  }

  private onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private refuseOwnId(clientId: string): void {
    if (clientId === this.clientId) {
      throw new ObserveError(
        "OBSERVER_CLIENT_ID",
        `the observer's client id ${clientId} is the device's: a second connection would take over the device's session (aws-iot §4.3)`,
      );
    }
  }
}
