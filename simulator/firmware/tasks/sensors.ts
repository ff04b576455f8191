// EnvSense and MotionS: silent QoS 0 telemetry with the exact payload formats of firmware-shell §9.3.
import type { FirmwareContext } from "../firmware-context.ts";
import type { MqttAgent } from "./mqtt-agent.ts";

const ENV_PERIOD_MS = 1000;
const MOTION_PERIOD_MS = 500;

/** A value that wanders around `base` within `spread`, like a sensor on a desk. */
class Drift {
  constructor(
    private value: number,
    private readonly base: number,
    private readonly spread: number,
  ) {}

  next(): number {
    const pull = (this.base - this.value) * 0.1;
    this.value += pull + (Math.random() - 0.5) * this.spread * 0.2;
    return this.value;
  }
}

/** `%f` of a C float: float32 rounding shows (24.870001), six decimals. */
const cFloat = (v: number): string => Math.fround(v).toFixed(6);

export function envPayload(temp0: number, rh: number, temp1: number, baro: number): string {
  return `{ "temp_0_c": ${cFloat(temp0)}, "rh_pct": ${cFloat(rh)}, "temp_1_c": ${cFloat(temp1)}, "baro_mbar": ${cFloat(baro)} }`;
}

type Vector = readonly [number, number, number];
const xyz = (v: Vector): string => `{"x": ${v[0]},"y": ${v[1]},"z": ${v[2]}}`;

export function motionPayload(accel: Vector, gyro: Vector, mag: Vector): string {
  return `{"acceleration_mG":${xyz(accel)},"gyro_mDPS":${xyz(gyro)},"magnetometer_mGauss":${xyz(mag)}}`;
}

export async function runEnvSense(ctx: FirmwareContext, agent: MqttAgent): Promise<void> {
  const topic = `${agent.thingName}/env_sensor_data`;
  const temp0 = new Drift(25.3, 25.3, 0.4);
  const rh = new Drift(41.5, 41.5, 2);
  const temp1 = new Drift(24.9, 24.9, 0.4);
  const baro = new Drift(1012.3, 1012.3, 0.6);
  for (;;) {
    await agent.waitConnected();
    const payload = envPayload(temp0.next(), rh.next(), temp1.next(), baro.next());
    await agent.publish(topic, Buffer.from(payload, "latin1"), 0);
    await ctx.rtos.sleep(ENV_PERIOD_MS);
  }
}

export async function runMotionSensors(ctx: FirmwareContext, agent: MqttAgent): Promise<void> {
  const topic = `${agent.thingName}/motion_sensor_data`;
  const axes = (base: Vector, spread: number): Drift[] => base.map((b) => new Drift(b, b, spread));
  const accel = axes([956, 164, -89], 40);
  const gyro = axes([8, 304, 647], 120);
  const mag = axes([-517, 194, -921], 30);
  const read = (d: Drift[]): Vector =>
    [0, 1, 2].map((i) => Math.round(d[i]?.next() ?? 0)) as unknown as Vector;
  for (;;) {
    await agent.waitConnected();
    const payload = motionPayload(read(accel), read(gyro), read(mag));
    await agent.publish(topic, Buffer.from(payload, "latin1"), 0);
    await ctx.rtos.sleep(MOTION_PERIOD_MS);
  }
}
