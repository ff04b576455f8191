// The firmware's MQTT 3.1.1 client (coreMQTT v2.1.1 behaviour, firmware-shell §9.1) over any byte
// stream. Time-outs run on the injected clock.
import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import mqttPacket from "mqtt-packet";
import type { Clock, TimerHandle } from "../../world/clock.ts";

/** coreMQTT status names, as the firmware prints them. */
export type MqttStatus = "MQTTRecvFailed" | "MQTTSendFailed" | "MQTTServerRefused" | "MQTTKeepAliveTimeout";

export class MqttError extends Error {
  constructor(readonly status: MqttStatus) {
    super(status);
  }
}

export interface ConnectOptions {
  clientId: string;
  username: string;
  keepAliveSeconds: number;
  cleanSession: boolean;
  connackTimeoutMs: number;
}

export interface IncomingPublish {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
}

interface Pending {
  resolve: (value: number) => void;
  reject: (e: MqttError) => void;
}

export class MqttConnection extends EventEmitter<{ message: [IncomingPublish]; close: [MqttStatus] }> {
  private readonly parser = mqttPacket.parser({ protocolVersion: 4 });
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private connack: Pending | undefined;
  private keepAlive: TimerHandle | undefined;
  private awaitingPong = false;
  private closed = false;

  constructor(
    private readonly stream: Duplex,
    private readonly clock: Clock,
  ) {
    super();
    this.parser.on("packet", (p) => this.onPacket(p));
    this.parser.on("error", () => this.fail("MQTTRecvFailed"));
    stream.on("data", (b: Buffer) => this.parser.parse(b));
    stream.on("close", () => this.fail("MQTTRecvFailed"));
    stream.on("error", () => this.fail("MQTTRecvFailed"));
  }

  /** Resolves with the session-present flag. */
  connect(o: ConnectOptions): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.schedule(o.connackTimeoutMs, () => this.fail("MQTTRecvFailed"));
      this.connack = {
        resolve: (present) => {
          timer.cancel();
          this.startKeepAlive(o.keepAliveSeconds * 1000);
          resolve(present === 1);
        },
        reject: (e) => {
          timer.cancel();
          reject(e);
        },
      };
      this.send({
        cmd: "connect",
        protocolId: "MQTT",
        protocolVersion: 4,
        clientId: o.clientId,
        clean: o.cleanSession,
        keepalive: o.keepAliveSeconds,
        username: o.username,
      });
    });
  }

  /** Resolves with the granted QoS (0x80 when refused). */
  subscribe(filter: string, qos: 0 | 1): Promise<number> {
    const messageId = this.id();
    return this.expect(messageId, () =>
      this.send({ cmd: "subscribe", messageId, subscriptions: [{ topic: filter, qos }] }),
    );
  }

  unsubscribe(filter: string): Promise<number> {
    const messageId = this.id();
    return this.expect(messageId, () =>
      this.send({ cmd: "unsubscribe", messageId, unsubscriptions: [filter] }),
    );
  }

  /** QoS 1 resolves on PUBACK; QoS 0 once written. */
  async publish(topic: string, payload: Buffer, qos: 0 | 1): Promise<void> {
    if (qos === 0) {
      this.send({ cmd: "publish", topic, payload, qos: 0, retain: false, dup: false });
      return;
    }
    const messageId = this.id();
    await this.expect(messageId, () =>
      this.send({ cmd: "publish", topic, payload, qos: 1, messageId, retain: false, dup: false }),
    );
  }

  disconnect(): void {
    if (this.closed) return;
    this.send({ cmd: "disconnect" });
    this.close("MQTTRecvFailed", false);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private id(): number {
    const id = this.nextId;
    this.nextId = (this.nextId % 65535) + 1;
    return id;
  }

  private expect(messageId: number, send: () => void): Promise<number> {
    if (this.closed) return Promise.reject(new MqttError("MQTTSendFailed"));
    return new Promise((resolve, reject) => {
      this.pending.set(messageId, { resolve, reject });
      send();
    });
  }

  private send(packet: mqttPacket.Packet): void {
    if (this.closed) return;
    this.stream.write(mqttPacket.generate(packet));
  }

  private onPacket(p: mqttPacket.Packet): void {
    switch (p.cmd) {
      case "connack": {
        const waiter = this.connack;
        this.connack = undefined;
        if (p.returnCode !== 0) waiter?.reject(new MqttError("MQTTServerRefused"));
        else waiter?.resolve(p.sessionPresent ? 1 : 0);
        return;
      }
      case "suback":
        return this.settle(p.messageId, p.granted[0] as number);
      case "puback":
      case "unsuback":
        return this.settle(p.messageId, 0);
      case "pingresp":
        this.awaitingPong = false;
        return;
      case "publish": {
        const qos = p.qos === 1 ? 1 : 0;
        if (qos === 1 && p.messageId !== undefined) this.send({ cmd: "puback", messageId: p.messageId });
        this.emit("message", { topic: p.topic, payload: Buffer.from(p.payload), qos });
        return;
      }
      default:
        return;
    }
  }

  private settle(messageId: number | undefined, value: number): void {
    if (messageId === undefined) return;
    this.pending.get(messageId)?.resolve(value);
    this.pending.delete(messageId);
  }

  private startKeepAlive(intervalMs: number): void {
    const tick = (): void => {
      if (this.closed) return;
      if (this.awaitingPong) return this.fail("MQTTKeepAliveTimeout");
      this.awaitingPong = true;
      this.send({ cmd: "pingreq" });
      this.keepAlive = this.clock.schedule(intervalMs, tick);
    };
    this.keepAlive = this.clock.schedule(intervalMs, tick);
  }

  private fail(status: MqttStatus): void {
    this.close(status, true);
  }

  private close(status: MqttStatus, notify: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.keepAlive?.cancel();
    const error = new MqttError(status);
    this.connack?.reject(error);
    this.connack = undefined;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.stream.destroy();
    if (notify) this.emit("close", status);
  }
}
