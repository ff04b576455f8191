// AWSDefender: subscribe to the CBOR accepted/rejected topics, then a metrics report every 5 minutes
// (firmware-shell §6.1, §9.3; AWS short-name CBOR format).
import type { FirmwareContext } from "../firmware-context.ts";
import { encodeCbor } from "./cbor.ts";
import type { MqttAgent } from "./mqtt-agent.ts";

const TASK = "AWSDefender";
const SRC = "defender_task.c";
const REPORT_PERIOD_MS = 5 * 60_000;
/** How long the task waits for the service's answer. INFERRED. */
const RESPONSE_TIMEOUT_MS = 5000;

export function metricsReport(reportId: number, uptimeS: number): Buffer {
  return encodeCbor({
    hed: { rid: reportId, v: "1.0" },
    met: {
      ns: { bi: 1452 * uptimeS, bo: 873 * uptimeS, pi: 19 * uptimeS, po: 14 * uptimeS },
      tp: { pts: [{ pt: 8883 }], t: 1 },
      up: { pts: [], t: 0 },
      tc: { ec: { cs: [{ rad: "34.214.65.162:8883" }], t: 1 } },
    },
  });
}

export async function runDefender(ctx: FirmwareContext, agent: MqttAgent): Promise<void> {
  const base = `$aws/things/${agent.thingName}/defender/metrics/cbor`;
  let answer: ((verdict: "accepted" | "rejected") => void) | undefined;
  await agent.waitConnected();
  await ctx.rtos.sleep(6);
  agent.registerCallback(TASK, "$aws/things/+/defender/metrics/cbor/accepted", () => answer?.("accepted"));
  const a = await agent.subscribe(TASK, "$aws/things/+/defender/metrics/cbor/accepted", 1);
  agent.registerCallback(TASK, "$aws/things/+/defender/metrics/cbor/rejected", () => answer?.("rejected"));
  const r = await agent.subscribe(TASK, "$aws/things/+/defender/metrics/cbor/rejected", 1);
  if (a === undefined || r === undefined || a > 1 || r > 1) {
    ctx.logAs(TASK, "ERR", "Failed to subscribe to defender MQTT topics.", `${SRC}:619`);
    return;
  }
  await ctx.rtos.sleep(100);
  ctx.logAs(TASK, "INF", "Subscribed to defender MQTT topics successfully.", `${SRC}:615`);
  for (;;) {
    await agent.waitConnected();
    ctx.logAs(TASK, "INF", "Collecting device metrics...", `${SRC}:688`);
    const report = metricsReport(ctx.rtos.tick(), Math.floor(ctx.rtos.tick() / 1000));
    ctx.logAs(TASK, "INF", "Publishing defender metrics report.", `${SRC}:710`);
    const verdict = new Promise<"accepted" | "rejected" | undefined>((resolve) => {
      answer = resolve;
      ctx.rtos.after(RESPONSE_TIMEOUT_MS, () => resolve(undefined));
    });
    if (!(await agent.publish(base, report, 1))) {
      ctx.logAs(TASK, "ERR", "Failed to publish device defender report.", `${SRC}:716`);
    } else {
      const v = await ctx.rtos.await(verdict);
      if (v === "accepted") ctx.logAs(TASK, "INF", "Defender report accepted.", `${SRC}:735`);
      else if (v === "rejected") ctx.logAs(TASK, "ERR", "Defender report rejected.", `${SRC}:739`);
      else ctx.logAs(TASK, "ERR", "Defender report response not received.", `${SRC}:745`);
    }
    answer = undefined;
    await ctx.rtos.sleep(REPORT_PERIOD_MS);
  }
}
