// The original guide's console steps, each verified from the board's own answers (design: the manual
// flow; firmware-shell §3, §4): root CA import and read-back, the four `conf set`, `conf commit`.
import { X509Certificate } from "node:crypto";
import type { BoardConsole, WaitOptions } from "../console/index.ts";
import { validateDeviceConfig, type DeviceConfig } from "./device-config.ts";
import { ProvisionError } from "./errors.ts";
import { pemFromExport } from "./read-identity.ts";

/** What was verified, step by step, for the CLI and the report. Never holds the Wi-Fi credential. */
export interface ConfigureReport {
  steps: Array<{ step: string; verified: string; elapsedMs: number }>;
}

export async function configureBoard(
  console: BoardConsole,
  config: DeviceConfig,
  wait: WaitOptions = {},
): Promise<ConfigureReport> {
  validateDeviceConfig(config);
  const report: ConfigureReport = { steps: [] };
  const step = async (name: string, run: () => Promise<string>): Promise<void> => {
    const started = Date.now();
    const verified = await run();
    report.steps.push({ step: name, verified, elapsedMs: Date.now() - started });
  };
  await console.sync(wait);

  await step("import root CA", async () => {
    const expected = new X509Certificate(config.rootCaPem);
    const verdict = await console.pastePem("root_ca_cert", config.rootCaPem, wait);
    if (!verdict.ok) {
      throw new ProvisionError(
        "ROOT_CA_REFUSED",
        "device",
        `pki import cert root_ca_cert: ${verdict.message}`,
      );
    }
    const back = await console.command("pki export cert root_ca_cert", wait);
    const pem = pemFromExport(back.lines);
    if (!pem || !new X509Certificate(pem).raw.equals(expected.raw)) {
      throw new ProvisionError(
        "ROOT_CA_MISMATCH",
        "device",
        "root_ca_cert read back differs from the imported certificate",
      );
    }
    return `${verdict.message} (read back: ${expected.raw.length} bytes of DER, identical)`;
  });

  const set = async (key: string, value: string, shown: string): Promise<void> =>
    step(`conf set ${key}`, async () => {
      const reply = await console.command(`conf set ${key} ${value}`, wait);
      const expected = key === "mqtt_port" ? `${key}=${value}` : `${key}="${value}"`;
      if (reply.lines[0] !== expected) {
        const got = key === "wifi_credential" ? "(redacted)" : JSON.stringify(reply.text);
        throw new ProvisionError(
          "ECHO_MISMATCH",
          "device",
          `conf set ${key}: expected ${shown}, the board answered ${got}`,
        );
      }
      return `echoed ${shown}`;
    });
  await set("mqtt_endpoint", config.mqttEndpoint, `mqtt_endpoint="${config.mqttEndpoint}"`);
  await set("mqtt_port", String(config.mqttPort), `mqtt_port=${config.mqttPort}`);
  await set("wifi_ssid", config.wifiSsid, `wifi_ssid="${config.wifiSsid}"`);
  await set("wifi_credential", config.wifiCredential, 'wifi_credential="…" (value not shown)');

  await step("conf commit", async () => {
    const reply = await console.command("conf commit", wait);
    if (reply.lines[0] !== "Configuration saved to NVM.") {
      throw new ProvisionError("COMMIT_FAILED", "device", `conf commit answered: ${reply.text.trim()}`);
    }
    return "Configuration saved to NVM.";
  });
  return report;
}

/** `reset`, then the boot up to its idle prompt (§2.9, §1.5). */
export async function resetBoard(console: BoardConsole, wait: WaitOptions = {}): Promise<void> {
  const reply = await console.command("reset", wait);
  if (reply.lines[0] !== "Resetting device.") {
    throw new ProvisionError("COMMIT_FAILED", "device", `reset answered: ${reply.text.trim()}`);
  }
}
