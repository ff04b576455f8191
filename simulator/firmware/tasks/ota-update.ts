// OTAUpdate / OTAAgent: wait for MQTT (or give up at 121.4 s), ask for the next job, report state
// every 30 s; no update is performed (firmware-shell §6.1 "What follows", §6.2; ordering INFERRED).
import type { FirmwareContext } from "../firmware-context.ts";
import type { MqttAgent } from "./mqtt-agent.ts";

const SRC = "ota_update_task.c";
const WAIT_FOR_MQTT_MS = 120_000;
const STATE_PERIOD_MS = 30_000;

interface Stats {
  state: "RequestingJob" | "WaitingForJob";
  received: number;
}

function stateLine(s: Stats): string {
  const n = s.received;
  return `State: ${s.state}   Received: ${n}   Queued: ${n}   Processed: ${n}   Dropped: 0`;
}

export async function runOtaUpdate(ctx: FirmwareContext, agent: MqttAgent | undefined): Promise<void> {
  const stats: Stats = { state: "RequestingJob", received: 0 };
  const connected = agent ? agent.waitConnected().then(() => true) : new Promise<boolean>(() => {});
  const timeout = ctx.rtos.sleep(WAIT_FOR_MQTT_MS - (ctx.rtos.tick() - 1400)).then(() => false);
  const up = await Promise.race([connected, timeout]);
  if (!up || !agent) {
    ctx.logAs("OTAUpdate", "INF", "Timed out while waiting for MQTT Agent connection.", `${SRC}:1383`);
    ctx.tasks.create("OTAAgent");
    return reportForever(ctx, stats);
  }
  const thing = agent.thingName;
  await ctx.rtos.sleep(9);
  ctx.logAs("OTAUpdate", "INF", "MQTT Agent is connected. Resuming...", `${SRC}:1377`);
  const onJob = (m: { payload: Buffer; topic: string }): void => {
    if (!m.topic.endsWith("/accepted") && !m.topic.endsWith("/notify-next")) return;
    stats.received++;
    ctx.logAs("MQTTAgent", "INF", `Received OTA job message, size: ${m.payload.length}.\n\n`, `${SRC}:921`);
    if (!m.payload.toString("utf8").includes('"execution"')) {
      ctx.logAs(
        "OTAAgent",
        "INF",
        "No active job available in received job document: OtaJobParseErr_t=OtaJobParseErrNoActiveJobs",
        "ota.c:2297",
      );
    }
    stats.state = "WaitingForJob";
  };
  agent.registerCallback("OTAUpdate", "$aws/things/+/jobs/$next/get/#", onJob);
  await agent.subscribe("OTAUpdate", "$aws/things/+/jobs/$next/get/#", 0);
  agent.registerCallback("OTAUpdate", "$aws/things/+/jobs/notify-next", onJob);
  await ctx.rtos.sleep(5);
  await agent.subscribe("OTAUpdate", "$aws/things/+/jobs/notify-next", 0);

  ctx.tasks.create("OTAAgent");
  await ctx.rtos.sleep(100);
  ctx.logAs(
    "OTAAgent",
    "INF",
    "GetPlatformImageState: OtaPalImageStateInvalid: Ready",
    "ota_pal_stm32u5_ntz.c:1255",
  );
  ctx.logAs(
    "OTAAgent",
    "INF",
    "Current State=[RequestingJob], Event=[Start], New state=[RequestingJob]",
    "ota.c:2939",
  );
  const notify = `$aws/things/${thing}/jobs/notify-next`;
  if ((await agent.subscribe("OTAAgent", notify, 0)) !== undefined) {
    ctx.logAs("OTAAgent", "INF", `Subscribed to topic ${notify}.\n\n`, `${SRC}:1079`);
    ctx.logAs("OTAAgent", "INF", `Subscribed to MQTT topic: ${notify}`, "ota_mqtt.c:398");
  }
  const get = `$aws/things/${thing}/jobs/$next/get`;
  const token = `${ctx.rtos.tick()}:${thing}`;
  if (await agent.publish(get, Buffer.from(`{"clientToken":"${token}"}`, "utf8"), 1)) {
    ctx.logAs("OTAAgent", "INF", `Sent PUBLISH packet to broker ${get} to broker.\n\n`, `${SRC}:1155`);
  }
  ctx.logAs(
    "OTAAgent",
    "INF",
    "Current State=[RequestingJob], Event=[RequestJobDocument], New state=[WaitingForJob]",
    "ota.c:2939",
  );
  return reportForever(ctx, stats);
}

async function reportForever(ctx: FirmwareContext, stats: Stats): Promise<void> {
  for (;;) {
    await ctx.rtos.sleep(STATE_PERIOD_MS);
    ctx.logAs("OTAUpdate", "INF", stateLine(stats), `${SRC}:1470`);
  }
}
