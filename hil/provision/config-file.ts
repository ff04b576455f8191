// The original guide's `config.json` (mqtt_endpoint, mqtt_port, wifi_ssid, wifi_credential, portName,
// root_ca_cert), accepted as it is — Windows paths included — and our own camelCase form.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DeviceConfig } from "./device-config.ts";
import { ProvisionError } from "./errors.ts";

export interface ConfigFile {
  device: DeviceConfig;
  /** `portName` of the original scripts (COM3, /dev/ttyACM0), if it names a port usable here. */
  portName?: string;
}

const AWS_ROOTS = fileURLToPath(new URL("../../data/aws-root-cas/", import.meta.url));

const invalid = (file: string, message: string): ProvisionError =>
  new ProvisionError("CONFIG_INVALID", "user", `${basename(file)}: ${message}`);

function text(doc: Record<string, unknown>, file: string, ...keys: string[]): string {
  const key = keys.find((k) => doc[k] !== undefined);
  const v = key === undefined ? undefined : doc[key];
  if (typeof v !== "string" || v === "") throw invalid(file, `field '${keys[0]}' must be a non-empty string`);
  return v;
}

/** A Windows path from the original scripts is looked up by its file name next to the config, then among the AWS roots. */
function findRootCa(spec: string, file: string): string {
  const windows = /^[A-Za-z]:[\\/]|\\/.test(spec);
  const name = windows ? (spec.split(/[\\/]/).pop() ?? spec) : spec;
  const here = dirname(resolve(file));
  const candidates = [
    ...(windows ? [] : [isAbsolute(spec) ? spec : resolve(here, spec)]),
    resolve(here, name),
    resolve(AWS_ROOTS, basename(name)),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw invalid(file, `field 'root_ca_cert': no file ${spec} (looked in ${candidates.join(", ")})`);
  return found;
}

export function parseConfigFile(json: string, file: string): ConfigFile {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw invalid(file, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw invalid(file, "expected a JSON object");
  const d = doc as Record<string, unknown>;
  const portValue = d.mqtt_port ?? d.mqttPort;
  const port = typeof portValue === "string" && /^\d+$/.test(portValue) ? Number(portValue) : portValue;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid(file, "field 'mqtt_port' must be a port number 1–65535");
  }
  const rootSpec = text(d, file, "root_ca_cert", "rootCa");
  const rootCaPath = findRootCa(rootSpec, file);
  const rootCaPem = readFileSync(rootCaPath, "latin1");
  if (!rootCaPem.includes("-----BEGIN CERTIFICATE-----")) {
    throw invalid(file, `field 'root_ca_cert': ${rootCaPath} is not a PEM certificate`);
  }
  const portName = typeof d.portName === "string" && d.portName !== "" ? d.portName : undefined;
  return {
    device: {
      mqttEndpoint: text(d, file, "mqtt_endpoint", "mqttEndpoint"),
      mqttPort: port,
      wifiSsid: text(d, file, "wifi_ssid", "wifiSsid"),
      wifiCredential: text(d, file, "wifi_credential", "wifiCredential"),
      rootCaPem,
      rootCaSource: rootCaPath,
    },
    ...(portName ? { portName } : {}),
  };
}

export function loadConfigFile(file: string): ConfigFile {
  let json: string;
  try {
    json = readFileSync(file, "utf8");
  } catch (e) {
    throw invalid(file, `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseConfigFile(json, file);
}
