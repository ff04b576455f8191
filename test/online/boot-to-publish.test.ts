// firmware-shell §6.1 / §9 against the cloud twin: the guide's flow ends with the board publishing,
// seen by a real MQTT client with its own identity.
import type { MqttClient } from "mqtt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OnlineLab } from "../support/online-lab.ts";

/** `needles` appear in `lines` in this order (other lines may come between). */
function inOrder(lines: string[], needles: string[]): void {
  let at = 0;
  for (const needle of needles) {
    const found = lines.findIndex((l, i) => i >= at && l.includes(needle));
    expect(found, `"${needle}" after line ${at}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

function messages(client: MqttClient, filter: string): Array<{ topic: string; payload: Buffer }> {
  const seen: Array<{ topic: string; payload: Buffer }> = [];
  client.subscribe(filter, { qos: 1 });
  client.on("message", (topic, payload) => seen.push({ topic, payload }));
  return seen;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("boot to first publish on the cloud twin (§6.1, §9)", () => {
  let lab: OnlineLab;
  beforeEach(async () => {
    lab = await OnlineLab.start();
  });
  afterEach(async () => {
    await lab.close();
  });

  it("logs the §6.1 sequence and publishes what the firmware publishes, as the thing name", async () => {
    await lab.configure();
    await lab.register();
    const observer = await lab.observer();
    const thing = lab.thingName;
    const seen = messages(observer, `${thing}/#`);
    const presence = messages(observer, `$aws/events/presence/connected/${thing}`);
    await new Promise((r) => setTimeout(r, 100));
    await lab.reset();
    await lab.console.until("Successfully sent QoS 1 publish", 30_000);
    const endpoint = lab.account().endpoint;
    inOrder(lab.logLines(), [
      "[None      ] HW Init Complete.",
      "CA Certificate:  CN=Starfield Services Root Certificate Authority - G2, SN:0x00",
      "[OTAUpdate ] Waiting until MQTT Agent is connected.",
      "[MxNet     ] Firmware Version:   V2.1.11 (mx_netconn.c:349)",
      "[MxNet     ] HW Address:         04:78:63:",
      "[MxCtrl    ] Mx Status notification: None -> Station Up  (mx_netconn.c:252)",
      "[MxNet     ] Administrative UP event. (mx_netconn.c:533)",
      "[MxNet     ] Starting DHCP. (mx_netconn.c:91)",
      "[MxNet     ] IP Address Change. (mx_netconn.c:520)",
      "[MxNet     ] IP Address: 192.168.137.",
      "[MxNet     ] Gateway:    192.168.137.1 (mx_netconn.c:58)",
      "[MxNet     ] Netmask:    255.255.255.0 (mx_netconn.c:58)",
      `[MQTTAgent ] Attempting a TLS connection to ${endpoint}:8883. (mqtt_agent_task.c:1121)`,
      `port: 8883h for host: ${endpoint}. (mbedtls_transport.c:1145)`,
      `[MQTTAgent ] Connected socket: 0 to host: ${endpoint}, address: `,
      "[MQTTAgent ] Network connection 0x20033c10: TLS handshake successful. (mbedtls_transport.c:1368)",
      `[MQTTAgent ] Network connection 0x20033c10: Connection to ${endpoint}:8883 established. (mbedtls_transport.c:1375)`,
      "[MQTTAgent ] Starting a clean MQTT Session. (mqtt_agent_task.c:1202)",
      "[PubSub    ] MQTT Agent is connected. Starting the publish subscribe task.  (pub_sub_test_task.c:340)",
      `[PubSub    ] Callback registered with filter="${thing}/mqtt_test". (mqtt_agent_task.c:1573)`,
      `[PubSub    ] MQTT Subscribe, filter="${thing}/mqtt_test" (mqtt_agent_task.c:1399)`,
      `[PubSub    ] Subscribed to topic ${thing}/mqtt_test. (pub_sub_test_task.c:251)`,
      `[PubSub    ] Sending publish message to topic: ${thing}/mqtt_test with qos: 1, message : {"message": "Test message 1"} (pub_sub_test_task.c:375)`,
      `[PubSub    ] Successfully sent QoS 1 publish to topic: ${thing}/mqtt_test (PassCount:1, FailCount:0). (pub_sub_test_task.c:383)`,
    ]);
    // Levels and ticks: the ticks follow the real board's timing model within the clock's jitter.
    const line = (needle: string): string => lab.logLines().find((l) => l.includes(needle)) ?? "";
    expect(line("Station Up")).toMatch(/^<DBG> +(79|80|81)\d\d \[MxCtrl/);
    expect(line("IP Address Change.")).toMatch(/^<SYS> +15[3-6]\d\d \[MxNet/);
    expect(line("Starting a clean MQTT Session.")).toMatch(/^<INF> +1[78]\d{3} \[MQTTAgent \]/);
    const first = await until("the first test message", () =>
      seen.find((m) => m.topic === `${thing}/mqtt_test`),
    );
    expect(first.payload.toString()).toBe('{"message": "Test message 1"}');
    const env = await until("env sensor data", () =>
      seen.find((m) => m.topic === `${thing}/env_sensor_data`),
    );
    expect(env.payload.toString()).toMatch(
      /^\{ "temp_0_c": \d+\.\d{6}, "rh_pct": \d+\.\d{6}, "temp_1_c": \d+\.\d{6}, "baro_mbar": \d+\.\d{6} \}$/,
    );
    const motion = await until("motion data", () =>
      seen.find((m) => m.topic === `${thing}/motion_sensor_data`),
    );
    expect(motion.payload.toString()).toMatch(
      /^\{"acceleration_mG":\{"x": -?\d+,"y": -?\d+,"z": -?\d+\},"gyro_mDPS":\{"x": -?\d+,"y": -?\d+,"z": -?\d+\},"magnetometer_mGauss":\{"x": -?\d+,"y": -?\d+,"z": -?\d+\}\}$/,
    );
    // The client id is the thing name, i.e. the CN without its last character (§9.1).
    const connected = await until("the presence event", () => presence[0]);
    expect(JSON.parse(connected.payload.toString()).clientId).toBe(
      lab.board.board.se.commonName.slice(0, -1),
    );
    // The device gets its own echo back and logs it (§9.3).
    await lab.console.until('Received incoming publish message {"message": "Test message 1"}', 30_000);
    // QoS alternates 1, 0, 1 …
    await lab.console.until(`with qos: 0, message : {"message": "Test message 2"}`, 30_000);
    observer.end(true);
  });
});
