// What the firmware logs from reset until networking starts (firmware-shell §1.5, §6.1, §6.2).
// Ticks are those of the real board in [SHOT mar/144435]; lines marked INFERRED follow §6.2.
import { X509Certificate } from "node:crypto";
import type { LogLevel } from "./log-line.ts";

export interface BootLine {
  tick: number;
  level: LogLevel;
  task: string;
  message: string;
  source: string;
}

export interface BootFacts {
  /** The littlefs partition was blank (first boot after flashing). */
  formatFileSystem: boolean;
  clientCertificate: X509Certificate;
  /** Undefined when zone 7 is empty or does not parse. */
  rootCa: X509Certificate | undefined;
  endpoint: string;
  port: number;
  applicationVersion: string;
}

/** The CLI task has initialised the UART and prints its first prompt (§1.1: 100–180 ms, INFERRED). */
export const CLI_READY_TICK = 104;
/** OTAUpdate gives up waiting for the MQTT agent (§6.2). */
export const OTA_WAIT_TIMEOUT_TICK = 121_400;
export const OTA_STATE_PERIOD_MS = 30_000;

const PKCS11_ALREADY = "Failed to initialize PKCS #11. PKCS #11 was already initialized.";

function field(x: X509Certificate, which: "subject" | "issuer", key: string): string {
  const line = x[which].split("\n").find((l) => l.startsWith(`${key}=`));
  return line ? line.slice(key.length + 1) : "";
}

/** mbedtls prints whole bytes: serial 0 is `0x00`. */
function serialHex(x: X509Certificate): string {
  const hex = x.serialNumber.toUpperCase();
  return hex.length % 2 ? `0${hex}` : hex;
}

const day = (text: string): string => new Date(text).toISOString().slice(0, 10);

function describe(x: X509Certificate, label: string, tick: number): BootLine[] {
  const at = (message: string, source: string): BootLine => ({
    tick,
    level: "INF",
    task: "MQTTAgent",
    message,
    source,
  });
  return [
    at(`${label} CN=${field(x, "subject", "CN")}, SN:0x${serialHex(x)}`, "mbedtls_transport.c:335"),
    at(`Issuer: CN=${field(x, "issuer", "CN")}`, "mbedtls_transport.c:336"),
    at(`Valid From: ${day(x.validFrom)}, Expires: ${day(x.validTo)}`, "mbedtls_transport.c:337"),
  ];
}

/** The MQTT agent's configuration checks; undefined when it goes on to wait for the network. */
function mqttConfigFailure(f: BootFacts, tick: number): BootLine[] | undefined {
  const err = (message: string, source: string, level: LogLevel = "ERR"): BootLine => ({
    tick,
    level,
    task: "MQTTAgent",
    message,
    source,
  });
  const terminate = err("Terminating MqttAgentTask.", "mqtt_agent_task.c:1299");
  if (!f.rootCa) {
    return [
      // Low confidence on the reason text (§6.2).
      err(
        "Failed to validate the CA Certificate at index: 0. Reason: Unknown Failure reason.",
        "mbedtls_transport.c:778",
      ),
      err("Failed to load any valid Root CA Certificates.", "mbedtls_transport.c:824"),
      err("Failed to configure mbedtls transport.", "mqtt_agent_task.c:1029"),
      terminate,
    ];
  }
  if (f.endpoint === "") {
    return [
      err("Non-fatal assertion failed.", "kvstore.c:356", "ASR"),
      err("Invalid mqtt endpoint read from KVStore.", "mqtt_agent_task.c:920"),
      terminate,
    ];
  }
  if (f.port === 0)
    return [err("Invalid mqtt port number read from KVStore.", "mqtt_agent_task.c:932"), terminate];
  return undefined;
}

export interface BootPlan {
  lines: BootLine[];
  mqttAgentTerminates: boolean;
}

export function bootPlan(f: BootFacts): BootPlan {
  const line = (tick: number, level: LogLevel, task: string, message: string, source: string): BootLine => ({
    tick,
    level,
    task,
    message,
    source,
  });
  const lines: BootLine[] = [
    line(101, "INF", "defaultTas", "STSAFE-A1xx initialized successfully", "app_freertos.c:213"),
    ...(f.formatFileSystem
      ? [line(102, "ERR", "defaultTas", "Failed to mount partition. Formatting...", "app_freertos.c:390")]
      : []),
    line(102, "INF", "defaultTas", "File System mounted.", "app_freertos.c:230"),
    line(
      103,
      "INF",
      "defaultTas",
      "OTA PAL NV context file not found. Using defaults.",
      "ota_pal_stm32u5_ntz.c:277",
    ),
    line(
      103,
      "SYS",
      "defaultTas",
      "OTA EarlyInit: State: Ready, Current Bank: 1, Target Bank: 0.",
      "ota_pal_stm32u5_ntz.c:1001",
    ),
    line(103, "SYS", "defaultTas", "OTA EarlyInit: Ending State: Ready.", "ota_pal_stm32u5_ntz.c:1033"),
    line(103, "INF", "defaultTas", "* Conf from STSAFE *", "kvstore_nv_stsafe.c:142"),
    line(181, "INF", "MQTTAgent", "* Certs from STSFE *", "core_pkcs11_pal_stsafe.c:69"),
    line(718, "INF", "MQTTAgent", "PKCS #11 successfully initialized.", "core_pkcs11_mbedtls.c:1636"),
    line(1234, "WRN", "MQTTAgent", PKCS11_ALREADY, "core_pkcs11_mbedtls.c:1631"),
    line(1240, "WRN", "MQTTAgent", PKCS11_ALREADY, "core_pkcs11_mbedtls.c:1631"),
    line(1289, "INF", "MQTTAgent", "Successfully closed PKCS #11 session.", "core_pkcs11_mbedtls.c:2178"),
    ...describe(f.clientCertificate, "Client Certificate:", 1289),
    line(1290, "WRN", "MQTTAgent", PKCS11_ALREADY, "core_pkcs11_mbedtls.c:1631"),
    line(1389, "INF", "MQTTAgent", "Successfully closed PKCS #11 session.", "core_pkcs11_mbedtls.c:2178"),
    // Two spaces after "CA Certificate:" in the binary.
    ...(f.rootCa ? describe(f.rootCa, "CA Certificate: ", 1389) : []),
  ];
  const failure = mqttConfigFailure(f, 1390);
  if (failure) lines.push(...failure);
  lines.push(
    line(
      1400,
      "INF",
      "OTAUpdate",
      `OTA Agent: Application version ${f.applicationVersion}`,
      "ota_update_task.c:1329",
    ),
    line(1400, "INF", "OTAUpdate", "Waiting until MQTT Agent is connected.", "ota_update_task.c:1367"),
  );
  return { lines, mqttAgentTerminates: failure !== undefined };
}
