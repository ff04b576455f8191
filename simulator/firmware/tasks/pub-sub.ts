// PubSub: `<thing>/mqtt_test`, QoS alternating 1, 0, 1…, the device's own echo (firmware-shell §9.3).
import type { FirmwareContext } from "../firmware-context.ts";
import type { MqttAgent } from "./mqtt-agent.ts";

const TASK = "PubSub";
const SRC = "pub_sub_test_task.c";

export async function runPubSub(ctx: FirmwareContext, agent: MqttAgent): Promise<void> {
  const topic = `${agent.thingName}/mqtt_test`;
  await agent.waitConnected();
  ctx.logAs(TASK, "INF", "MQTT Agent is connected. Starting the publish subscribe task. ", `${SRC}:340`);
  agent.registerCallback(TASK, topic, (m) =>
    ctx.logAs(
      "MQTTAgent",
      "INF",
      `Received incoming publish message ${m.payload.toString("latin1")}`,
      `${SRC}:227`,
    ),
  );
  const granted = await agent.subscribe(TASK, topic, 1);
  if (granted === undefined || granted > 1) {
    ctx.logAs(TASK, "ERR", `Failed to SUBSCRIBE to topic with error = ${granted ?? 0}.`, `${SRC}:247`);
  } else {
    ctx.logAs(TASK, "INF", `Subscribed to topic ${topic}.\n\n`, `${SRC}:251`);
  }
  let pass = 0;
  let fail = 0;
  for (let n = 1; ; n++) {
    await agent.waitConnected();
    const qos = n % 2 === 1 ? 1 : 0;
    const message = `{"message": "Test message ${n}"}`;
    ctx.logAs(
      TASK,
      "INF",
      `Sending publish message to topic: ${topic} with qos: ${qos}, message : ${message}`,
      `${SRC}:375`,
    );
    if (await agent.publish(topic, Buffer.from(message, "latin1"), qos)) {
      pass++;
      ctx.logAs(
        TASK,
        "INF",
        `Successfully sent QoS ${qos} publish to topic: ${topic} (PassCount:${pass}, FailCount:${fail}).`,
        `${SRC}:383`,
      );
    } else {
      fail++;
      ctx.logAs(
        TASK,
        "ERR",
        `Timed out while sending QoS ${qos} publish to topic: ${topic} (PassCount:${pass}, FailCount: ${fail})`,
        `${SRC}:388`,
      );
    }
    await ctx.rtos.sleep(2000 + (ctx.rtos.tick() % 255));
  }
}
