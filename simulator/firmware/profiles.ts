// Firmware builds the twin can run, as data. Differences are listed in firmware-shell §0.
import type { ConfigKey } from "../stsafe/config-record.ts";

export interface FirmwareProfile {
  name: string;
  description: string;
  /**
   * The MAR binary stores the CN without its NUL, so every reader loses its last character (§0, §3.5);
   * the later reference derivative appends the NUL and keeps the full CN.
   */
  thingNameKeepsLastChar: boolean;
  /** Key order of a bare `conf get` (§0, §3.4). */
  confGetOrder: readonly ConfigKey[];
  /** `reset` through vDoSystemReset logs this before rebooting (SJ only, §0). */
  resetLogsSystemReset: boolean;
  applicationVersion: string;
}

const MAR_ORDER: readonly ConfigKey[] = [
  "thing_name",
  "mqtt_endpoint",
  "mqtt_port",
  "wifi_ssid",
  "wifi_credential",
  "time_hwm",
];

export const PROFILES: Readonly<Record<string, FirmwareProfile>> = {
  "mar-2025-02": {
    name: "mar-2025-02",
    description: "b_u585_iota02_aws_iot.bin shipped with stm32mcu_aws_mar (2025-02-27)",
    thingNameKeepsLastChar: false,
    confGetOrder: MAR_ORDER,
    resetLogsSystemReset: false,
    applicationVersion: "0.9.1",
  },
  reference: {
    name: "reference",
    description: "b_u585_iota02_iot_reference (2025-07), the later derivative with the thing-name fix",
    thingNameKeepsLastChar: true,
    confGetOrder: ["thing_name", "mqtt_endpoint", "mqtt_port", "time_hwm", "wifi_ssid", "wifi_credential"],
    resetLogsSystemReset: true,
    applicationVersion: "0.9.1",
  },
};

export const DEFAULT_PROFILE = "mar-2025-02";

export function profileNamed(name: string): FirmwareProfile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
}
