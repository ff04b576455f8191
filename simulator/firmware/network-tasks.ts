// The tasks that make the board an IoT device: Wi-Fi, the MQTT agent and the applications on it
// (firmware-shell §6, §8, §9). Started at boot; they all end with the boot.
import type { FirmwareContext } from "./firmware-context.ts";
import { NetworkInterface } from "./net/network-interface.ts";
import { runDefender } from "./tasks/defender.ts";
import { MqttAgent } from "./tasks/mqtt-agent.ts";
import { runMqttAgentTask } from "./tasks/mqtt-agent-task.ts";
import { runMxNet } from "./tasks/mx-net.ts";
import { runOtaUpdate } from "./tasks/ota-update.ts";
import { runPubSub } from "./tasks/pub-sub.ts";
import { runEnvSense, runMotionSensors } from "./tasks/sensors.ts";
import { runShadowDevice } from "./tasks/shadow-device.ts";

/** When the MQTT agent has finished its configuration checks (boot-sequence.ts) and OTAUpdate starts. */
const AGENT_READY_TICK = 1391;
const OTA_START_TICK = 1400;

export async function startNetworkTasks(ctx: FirmwareContext, o: { mqttAgentRuns: boolean }): Promise<void> {
  const net = new NetworkInterface();
  // The agent reads its configuration once at boot (§3.2).
  const thingName = ctx.kv.getString("thing_name");
  const endpoint = ctx.kv.getString("mqtt_endpoint");
  const port = ctx.kv.getNumber("mqtt_port");
  const rootCaDer = ctx.se.readRootCa();
  const agent = o.mqttAgentRuns && rootCaDer ? new MqttAgent(ctx, thingName) : undefined;

  const running: Array<Promise<void>> = [runMxNet(ctx, net)];
  await ctx.rtos.sleep(AGENT_READY_TICK - ctx.rtos.tick());
  if (!agent || !rootCaDer) {
    ctx.tasks.delete("MQTTAgent");
  } else {
    running.push(
      runMqttAgentTask(ctx, net, agent, { endpoint, port, rootCaDer }),
      runPubSub(ctx, agent),
      runDefender(ctx, agent),
      runShadowDevice(ctx, agent),
      runEnvSense(ctx, agent),
      runMotionSensors(ctx, agent),
    );
  }
  await ctx.rtos.sleep(OTA_START_TICK - ctx.rtos.tick());
  running.push(runOtaUpdate(ctx, agent));
  await Promise.all(running);
}
