// What a board is provisioned with, and the checks a value must pass before it is sent: the firmware
// would accept values it then mangles (firmware-shell §1.3, §3.3).
import { ProvisionError } from "./errors.ts";

export interface DeviceConfig {
  mqttEndpoint: string;
  mqttPort: number;
  wifiSsid: string;
  wifiCredential: string;
  /** PEM of the root CA to import into `root_ca_cert`. */
  rootCaPem: string;
  /** Where the PEM came from, for messages. */
  rootCaSource: string;
}

/** Longest value a 64-byte STSAFE slot holds with its NUL (§3.3). */
const VALUE_MAX = 63;

/** Why the firmware would not store `value` as given, or undefined when it is fine. */
export function stringValueProblem(key: string, value: string): string | undefined {
  if (value === "") return `${key} is empty`;
  // Arguments are split on spaces with no quoting (§1.3): only the first word would be stored.
  if (value.includes(" ")) return `${key} contains a space; the firmware would keep only the first word`;
  if (/[\r\n\0\x03\x08\x7f]/.test(value))
    return `${key} contains a control character the console would act on`;
  if (value.length > VALUE_MAX) {
    return `${key} is ${value.length} characters; the secure element slot holds ${VALUE_MAX} (§3.3)`;
  }
  return undefined;
}

export function validateDeviceConfig(c: DeviceConfig): void {
  for (const [key, value] of [
    ["mqtt_endpoint", c.mqttEndpoint],
    ["wifi_ssid", c.wifiSsid],
    ["wifi_credential", c.wifiCredential],
  ] as const) {
    const problem = stringValueProblem(key, value);
    if (problem) throw new ProvisionError("VALUE_REFUSED", "user", problem);
  }
  if (c.wifiSsid.length > 32) {
    throw new ProvisionError(
      "VALUE_REFUSED",
      "user",
      "wifi_ssid is longer than 32 characters; the Wi-Fi module would truncate it",
    );
  }
  // strtoul stores junk as 0 and 0 stops the MQTT agent (§3.3, §6.2).
  if (!Number.isInteger(c.mqttPort) || c.mqttPort < 1 || c.mqttPort > 65535) {
    throw new ProvisionError("VALUE_REFUSED", "user", `mqtt_port must be 1–65535, got ${c.mqttPort}`);
  }
}
