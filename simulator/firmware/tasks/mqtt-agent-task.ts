// MQTTAgent: the connection loop with its back-off and every log line of §6.1 and §8.
import type { FirmwareContext } from "../firmware-context.ts";
import { Backoff } from "../net/backoff.ts";
import { MqttConnection, MqttError, type MqttStatus } from "../net/mqtt-connection.ts";
import type { NetworkInterface } from "../net/network-interface.ts";
import { openTransport, SSL_CONTEXT } from "../net/tls-transport.ts";
import type { MqttAgent } from "./mqtt-agent.ts";

/** §9.1: what coreMQTT sends. */
export const MQTT_USERNAME =
  "?SDK=FreeRTOS&Version=V10.6.2&Platform=STM32U5xx IoT Discovery Kit&MQTTLib=coreMQTT@v2.1.1";
const KEEP_ALIVE_S = 60;
const CONNACK_TIMEOUT_MS = 2000;
/** CONNACK arrives ≈400 ms after the handshake on the real board (§6.1). */
const CONNACK_MS = 403;
/** The WRN follows the ERR lines ≈20 ms later (§8.2). */
const RETRY_LOG_MS = 20;

export interface AgentConfig {
  endpoint: string;
  port: number;
  rootCaDer: Buffer;
}

export async function runMqttAgentTask(
  ctx: FirmwareContext,
  net: NetworkInterface,
  agent: MqttAgent,
  config: AgentConfig,
): Promise<void> {
  const log = (level: "INF" | "WRN" | "ERR", message: string, source: string): void =>
    ctx.logAs("MQTTAgent", level, message, source);
  let firstSession = true;
  for (;;) {
    // One connect cycle: TLS failures retry here with a growing jitter bound (§8.1).
    const backoff = new Backoff();
    let socket = undefined;
    while (!socket) {
      await ctx.rtos.await(net.waitUp());
      log(
        "INF",
        `Attempting a TLS connection to ${config.endpoint}:${config.port}.`,
        "mqtt_agent_task.c:1121",
      );
      socket = await openTransport(ctx, config);
      if (socket) break;
      const delay = backoff.next();
      log(
        "WRN",
        `Connecting to the mqtt broker failed. Retrying connection in ${delay} ms.`,
        "mqtt_agent_task.c:1138",
      );
      await ctx.rtos.sleep(delay);
    }

    const connection = new MqttConnection(socket, ctx.rtos.clock);
    // Listen at once: the session may end while the agent is still inside its CONNACK handling.
    const ended = new Promise<MqttStatus>((resolve) => connection.once("close", resolve));
    const dropOnLinkLoss = net.onDown(() => socket.destroy());
    const started = ctx.rtos.tick();
    let sessionPresent: boolean;
    try {
      sessionPresent = await ctx.rtos.await(
        connection.connect({
          clientId: agent.thingName,
          username: MQTT_USERNAME,
          keepAliveSeconds: KEEP_ALIVE_S,
          cleanSession: firstSession,
          connackTimeoutMs: CONNACK_TIMEOUT_MS,
        }),
      );
    } catch (e) {
      dropOnLinkLoss();
      const status = e instanceof MqttError ? e.status : "MQTTRecvFailed";
      if (status === "MQTTRecvFailed") {
        peerClosedLines(log);
        log("ERR", "CONNACK recv failed with status = MQTTRecvFailed.", "core_mqtt.c:2364");
      }
      log("ERR", `MQTT connection failed with status = ${status}.`, "core_mqtt.c:2689");
      log("ERR", "Failed to connect to mqtt broker.", "mqtt_agent_task.c:1210");
      await ctx.rtos.sleep(RETRY_LOG_MS);
      const delay = backoff.next();
      log("WRN", `Disconnected from the MQTT Broker. Retrying in ${delay} ms.`, "mqtt_agent_task.c:1271");
      await ctx.rtos.sleep(delay);
      continue;
    }
    await ctx.rtos.sleep(CONNACK_MS - (ctx.rtos.tick() - started));
    if (firstSession) {
      log("INF", "Starting a clean MQTT Session.", "mqtt_agent_task.c:1202");
    } else {
      log("INF", "Resuming persistent MQTT Session.", "mqtt_agent_task.c:1172");
      if (sessionPresent)
        log("INF", "Session already present (no re-subscription).", "mqtt_agent_task.c:1194");
    }
    firstSession = false;
    agent.attach(connection);
    if (!sessionPresent)
      for (const filter of agent.filters) void connection.subscribe(filter, 1).catch(() => {});

    const status = await ctx.rtos.await(ended);
    dropOnLinkLoss();
    agent.attach(undefined);
    if (status === "MQTTKeepAliveTimeout") {
      log("ERR", "Handling of keep alive failed. Status=MQTTKeepAliveTimeout", "core_mqtt.c:1707");
    } else {
      peerClosedLines(log);
      log("ERR", `Call to receiveSingleIteration failed. Status=${status}`, "core_mqtt.c:1722");
    }
    // The back-off restarts after every successful CONNECT (§8.1).
    const delay = new Backoff().next();
    log("WRN", `Disconnected from the MQTT Broker. Retrying in ${delay} ms.`, "mqtt_agent_task.c:1271");
    await ctx.rtos.sleep(delay);
  }
}

/** mbedtls sees the peer's close-notify, then coreMQTT cannot read a byte (§8.2, code INFERRED). */
function peerClosedLines(log: (level: "ERR", message: string, source: string) => void): void {
  log("ERR", `${SSL_CONTEXT}: mbedtls_ssl_handle_message_type() returned -30848 (-0x7880)`, "ssl_msg.c:3604");
  log("ERR", `${SSL_CONTEXT}: mbedtls_ssl_read_record() returned -30848 (-0x7880)`, "ssl_msg.c:5123");
  log(
    "ERR",
    "A single byte was not read from the transport: transportStatus=-1.",
    "core_mqtt_serializer.c:2615",
  );
}
