// The coreMQTT agent as the application tasks use it: callbacks, subscribe, publish, and the
// "connected" state they wait for (firmware-shell §6.1, §9). The connection loop is in mqtt-agent-task.ts.
import type { FirmwareContext } from "../firmware-context.ts";
import type { IncomingPublish, MqttConnection } from "../net/mqtt-connection.ts";

/** A request to the broker and back, as long as the real board takes (§6.1: ≈300 ms per SUBACK/PUBACK). */
export const AGENT_ROUND_TRIP_MS = 300;

/** An incoming publish reaches the callbacks this long after the broker sent it (§6.1: the device's own
 * echo is handled ≈100 ms after its PUBACK). */
export const INBOUND_DELAY_MS = 410;

export type PublishHandler = (message: IncomingPublish) => void;

interface Callback {
  task: string;
  filter: string;
  handler: PublishHandler;
}

/** MQTT topic filter matching with + and #. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export class MqttAgent {
  private connection: MqttConnection | undefined;
  private readonly callbacks: Callback[] = [];
  private waiters: Array<() => void> = [];

  constructor(
    private readonly ctx: FirmwareContext,
    readonly thingName: string,
  ) {}

  get connected(): boolean {
    return this.connection?.isOpen ?? false;
  }

  /** Resolves once the agent holds a session. */
  waitConnected(): Promise<void> {
    if (this.connected) return Promise.resolve();
    return this.ctx.rtos.await(new Promise((resolve) => this.waiters.push(resolve)));
  }

  /** Called by the connection loop when CONNACK arrived / the session ended. */
  attach(connection: MqttConnection | undefined): void {
    this.connection = connection;
    if (!connection) return;
    connection.on("message", (m) => this.ctx.rtos.after(INBOUND_DELAY_MS, () => this.dispatch(m)));
    for (const w of this.waiters.splice(0)) w();
  }

  /** Filters with callbacks, for re-subscribing after a session was lost. */
  get filters(): string[] {
    return this.callbacks.map((c) => c.filter);
  }

  registerCallback(task: string, filter: string, handler: PublishHandler): void {
    this.callbacks.push({ task, filter, handler });
    this.ctx.logAs(task, "INF", `Callback registered with filter="${filter}".`, "mqtt_agent_task.c:1573");
  }

  /** Logs the request and resolves with the granted QoS, or undefined when the session ended. */
  async subscribe(task: string, filter: string, qos: 0 | 1): Promise<number | undefined> {
    this.ctx.logAs(task, "INF", `MQTT Subscribe, filter="${filter}"`, "mqtt_agent_task.c:1399");
    return this.roundTrip((c) => c.subscribe(filter, qos));
  }

  /** True once the broker has it (PUBACK for QoS 1). */
  async publish(topic: string, payload: Buffer, qos: 0 | 1): Promise<boolean> {
    const done = await this.roundTrip(async (c) => {
      await c.publish(topic, payload, qos);
      return 0;
    }, qos === 1);
    return done !== undefined;
  }

  private async roundTrip(
    op: (c: MqttConnection) => Promise<number>,
    acknowledged = true,
  ): Promise<number | undefined> {
    const connection = this.connection;
    if (!connection?.isOpen) return undefined;
    const started = this.ctx.rtos.tick();
    let result: number | undefined;
    try {
      result = await this.ctx.rtos.await(op(connection));
    } catch {
      return undefined;
    }
    if (acknowledged) await this.ctx.rtos.sleep(AGENT_ROUND_TRIP_MS - (this.ctx.rtos.tick() - started));
    return result;
  }

  private dispatch(message: IncomingPublish): void {
    const callback = this.callbacks.find((c) => topicMatches(c.filter, message.topic));
    if (!callback) {
      this.ctx.logAs(
        "MQTTAgent",
        "WRN",
        `Incoming publish with topic="${message.topic}" does not match any callback functions.`,
        "mqtt_agent_task.c:720",
      );
      return;
    }
    this.ctx.logAs(
      "MQTTAgent",
      "INF",
      `Handling callback for task=${callback.task}, topic="${message.topic}", filter="${callback.filter}".`,
      "mqtt_agent_task.c:704",
    );
    callback.handler(message);
  }
}
