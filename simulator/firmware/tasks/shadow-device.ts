// ShadowDevice: the `powerOn` report and deltas (firmware-shell §6.1 "What follows", §9.3).
import type { FirmwareContext } from "../firmware-context.ts";
import type { MqttAgent } from "./mqtt-agent.ts";

const TASK = "ShadowDevice";
const SRC = "shadow_device_task.c";
const CHECK_PERIOD_MS = 15_000;
/** How long the task waits for /update/accepted or /rejected. INFERRED. */
const RESPONSE_TIMEOUT_MS = 5000;

export async function runShadowDevice(ctx: FirmwareContext, agent: MqttAgent): Promise<void> {
  const base = `$aws/things/${agent.thingName}/shadow/update`;
  let powerOn = 0;
  let reported: number | undefined;
  let pendingToken: number | undefined;
  let answered: (() => void) | undefined;
  let version = 0;

  await agent.waitConnected();
  await ctx.rtos.sleep(7);
  agent.registerCallback(TASK, `${base}/delta`, (m) => {
    const text = m.payload.toString("latin1").replace(/\0+$/, "");
    ctx.logAs("MQTTAgent", "DBG", `/update/delta json payload:${text}.`, `${SRC}:403`);
    try {
      const doc = JSON.parse(text) as { version?: number; state?: { powerOn?: number } };
      if (typeof doc.version !== "number") {
        return ctx.logAs("MQTTAgent", "ERR", "Version field not found in JSON document!", `${SRC}:443`);
      }
      if (doc.version <= version) {
        return ctx.logAs(
          "MQTTAgent",
          "WRN",
          `Received unexpected delta update with version ${doc.version}. Current version is ${version}`,
          `${SRC}:458`,
        );
      }
      version = doc.version;
      ctx.logAs("MQTTAgent", "INF", `Received delta update with version ${doc.version}.`, `${SRC}:464`);
      if (typeof doc.state?.powerOn !== "number") {
        return ctx.logAs("MQTTAgent", "WRN", "powerOn field not found in JSON document!", `${SRC}:481`);
      }
      powerOn = doc.state.powerOn;
      ctx.logAs("MQTTAgent", "INF", `Setting powerOn state to ${powerOn}.`, `${SRC}:488`);
    } catch {
      ctx.logAs("MQTTAgent", "ERR", "Invalid JSON document received!", `${SRC}:429`);
    }
  });
  await agent.subscribe(TASK, `${base}/delta`, 1);
  const responded = (kind: "accepted" | "rejected") => (m: { payload: Buffer }) => {
    const text = m.payload.toString("latin1").replace(/\0+$/, "");
    const line = kind === "accepted" ? 522 : 631;
    ctx.logAs("MQTTAgent", "DBG", `/update/${kind} JSON payload: ${text}.`, `${SRC}:${line}`);
    const token = /"clientToken"\s*:\s*"(\d+)"/.exec(text)?.[1];
    if (token === undefined || Number(token) !== pendingToken) return;
    if (kind === "accepted") {
      ctx.logAs(
        "MQTTAgent",
        "INF",
        `Received accepted response for update with token ${pendingToken}. `,
        `${SRC}:588`,
      );
      reported = powerOn;
    } else {
      ctx.logAs(
        "MQTTAgent",
        "WRN",
        `Received rejected response for update with token ${pendingToken} and no error code.`,
        `${SRC}:693`,
      );
    }
    answered?.();
  };
  agent.registerCallback(TASK, `${base}/accepted`, responded("accepted"));
  await agent.subscribe(TASK, `${base}/accepted`, 1);
  agent.registerCallback(TASK, `${base}/rejected`, responded("rejected"));
  await agent.subscribe(TASK, `${base}/rejected`, 1);

  for (;;) {
    await agent.waitConnected();
    if (reported === powerOn) {
      ctx.logAs(
        TASK,
        "DBG",
        `No change in powerOn state since last report. Current state is ${powerOn}.`,
        `${SRC}:772`,
      );
    } else {
      ctx.logAs(TASK, "INF", `PowerOn state is now ${powerOn}. Sending new report.`, `${SRC}:776`);
      const token = ctx.rtos.tick() % 1_000_000;
      pendingToken = token;
      const json = `{"state":{"reported":{"powerOn":${powerOn}}},"clientToken":"${String(token).padStart(6, "0")}"}`;
      ctx.logAs(TASK, "INF", `Publishing to /update with following client token ${token}.`, `${SRC}:793`);
      ctx.logAs(TASK, "DBG", `Publish content: ${json}`, `${SRC}:794`);
      const response = new Promise<boolean>((resolve) => {
        answered = () => resolve(true);
        ctx.rtos.after(RESPONSE_TIMEOUT_MS, () => resolve(false));
      });
      // The payload goes out with its C string terminator (§9.3, INFERRED).
      if (!(await agent.publish(base, Buffer.from(`${json}\0`, "latin1"), 1))) {
        ctx.logAs(TASK, "ERR", "Failed to publish report to shadow.", `${SRC}:802`);
      } else if (!(await ctx.rtos.await(response))) {
        ctx.logAs(TASK, "ERR", "Timed out waiting for response to report.", `${SRC}:812`);
      }
      answered = undefined;
    }
    ctx.logAs(TASK, "DBG", "Sleeping until next update check.", `${SRC}:825`);
    await ctx.rtos.sleep(CHECK_PERIOD_MS);
  }
}
