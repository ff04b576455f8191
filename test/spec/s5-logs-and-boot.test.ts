// firmware-shell §5 (log line format) and the boot output of §1.5 / §6 up to networking.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { formatLogLine } from "../../simulator/firmware/log-line.ts";
import { macAddress } from "../../simulator/firmware/tasks/mx-net.ts";
import { BoardHarness } from "../support/board-harness.ts";

const SFS_PEM = readFileSync(new URL("../../data/aws-root-cas/SFSRootCAG2.pem", import.meta.url), "latin1");

/** Log lines of a transcript, without the console's erase-and-redraw wrapping. */
function logLines(transcript: string): string[] {
  return transcript
    .split("\r\n")
    .map((l) => l.replace(/^(> )?\r\x1b\[K/, ""))
    .filter((l) => l.startsWith("<"));
}

describe("§5 log line format, and the boot output (§1.5, §6)", () => {
  let h: BoardHarness | undefined;
  afterEach(() => h?.dispose());

  it("formats level, 8-column tick, 10-column task, message and source (§5)", () => {
    const line = (level: "INF" | "ASR", tick: number, task: string, message: string) =>
      formatLogLine({ level, tick, task, message, source: "x.c:1" });
    expect(line("INF", 103, "defaultTask", "* Conf from STSAFE *")).toBe(
      "<INF>      103 [defaultTas] * Conf from STSAFE * (x.c:1)",
    );
    expect(line("INF", 0, "None", "m")).toBe("<INF>        0 [None      ] m (x.c:1)");
    expect(line("INF", 16_777_216 + 5, "cli", "m")).toBe("<INF>        5 [cli       ] m (x.c:1)");
    expect(line("INF", 1, "ShadowDevice", "Subscribed to topic t.\n\n")).toBe(
      "<INF>        1 [ShadowDevi] Subscribed to topic t. (x.c:1)",
    );
    expect(line("INF", 1, "MxNet", "Firmware Version:   V2.1.11\r\n\0")).toBe(
      "<INF>        1 [MxNet     ] Firmware Version:   V2.1.11 (x.c:1)",
    );
  });

  it("boots a fresh board: two CRLFs, HW Init, littlefs format, then the §6.2 unconfigured lines (§1.5, §6.2)", async () => {
    h = await BoardHarness.booted();
    const cn = h.board.se.commonName;
    expect(
      h.transcript.startsWith(
        "\r\n\r\n<INF>        0 [None      ] HW Init Complete. (app_freertos.c:161)\r\n",
      ),
    ).toBe(true);
    expect(logLines(h.transcript)).toEqual([
      "<INF>        0 [None      ] HW Init Complete. (app_freertos.c:161)",
      "<INF>      101 [defaultTas] STSAFE-A1xx initialized successfully (app_freertos.c:213)",
      "<ERR>      102 [defaultTas] Failed to mount partition. Formatting... (app_freertos.c:390)",
      "<INF>      102 [defaultTas] File System mounted. (app_freertos.c:230)",
      "<INF>      103 [defaultTas] OTA PAL NV context file not found. Using defaults. (ota_pal_stm32u5_ntz.c:277)",
      "<SYS>      103 [defaultTas] OTA EarlyInit: State: Ready, Current Bank: 1, Target Bank: 0. (ota_pal_stm32u5_ntz.c:1001)",
      "<SYS>      103 [defaultTas] OTA EarlyInit: Ending State: Ready. (ota_pal_stm32u5_ntz.c:1033)",
      "<INF>      103 [defaultTas] * Conf from STSAFE * (kvstore_nv_stsafe.c:142)",
      "<INF>      181 [MQTTAgent ] * Certs from STSFE * (core_pkcs11_pal_stsafe.c:69)",
      "<INF>      718 [MQTTAgent ] PKCS #11 successfully initialized. (core_pkcs11_mbedtls.c:1636)",
      "<WRN>     1234 [MQTTAgent ] Failed to initialize PKCS #11. PKCS #11 was already initialized. (core_pkcs11_mbedtls.c:1631)",
      "<WRN>     1240 [MQTTAgent ] Failed to initialize PKCS #11. PKCS #11 was already initialized. (core_pkcs11_mbedtls.c:1631)",
      "<INF>     1289 [MQTTAgent ] Successfully closed PKCS #11 session. (core_pkcs11_mbedtls.c:2178)",
      `<INF>     1289 [MQTTAgent ] Client Certificate: CN=${cn}, SN:0x${cn.slice(6)} (mbedtls_transport.c:335)`,
      "<INF>     1289 [MQTTAgent ] Issuer: CN=STM STSAFE-A PROD CA 01 (mbedtls_transport.c:336)",
      "<INF>     1289 [MQTTAgent ] Valid From: 2021-03-05, Expires: 2051-03-05 (mbedtls_transport.c:337)",
      "<WRN>     1290 [MQTTAgent ] Failed to initialize PKCS #11. PKCS #11 was already initialized. (core_pkcs11_mbedtls.c:1631)",
      "<INF>     1389 [MQTTAgent ] Successfully closed PKCS #11 session. (core_pkcs11_mbedtls.c:2178)",
      "<ERR>     1390 [MQTTAgent ] Failed to validate the CA Certificate at index: 0. Reason: Unknown Failure reason. (mbedtls_transport.c:778)",
      "<ERR>     1390 [MQTTAgent ] Failed to load any valid Root CA Certificates. (mbedtls_transport.c:824)",
      "<ERR>     1390 [MQTTAgent ] Failed to configure mbedtls transport. (mqtt_agent_task.c:1029)",
      "<ERR>     1390 [MQTTAgent ] Terminating MqttAgentTask. (mqtt_agent_task.c:1299)",
      "<INF>     1400 [OTAUpdate ] OTA Agent: Application version 0.9.1 (ota_update_task.c:1329)",
      "<INF>     1400 [OTAUpdate ] Waiting until MQTT Agent is connected. (ota_update_task.c:1367)",
      "<INF>     5185 [MxNet     ] Firmware Version:   V2.1.11 (mx_netconn.c:349)",
      `<INF>     5185 [MxNet     ] HW Address:         ${macAddress(cn)} (mx_netconn.c:350)`,
    ]);
    // The CLI is up before the first log after `* Conf from STSAFE *`, so later logs redraw the prompt.
    expect(h.transcript.endsWith(`${macAddress(cn)} (mx_netconn.c:350)\r\n> `)).toBe(true);
    expect(macAddress(cn)).toMatch(/^04:78:63(:[0-9A-F]{2}){3}$/);
  });

  it("after import and commit, the boot shows the CA lines and then the endpoint or port check (§6.1, §6.2)", async () => {
    h = await BoardHarness.booted();
    await h.send(`pki import cert root_ca_cert\r${SFS_PEM.trim().split("\n").join("\r")}\r`, 500);
    const afterCa = logLines(await h.command("reset", 2500));
    expect(afterCa).toContain(
      "<INF>     1389 [MQTTAgent ] CA Certificate:  CN=Starfield Services Root Certificate Authority - G2, SN:0x00 (mbedtls_transport.c:335)",
    );
    expect(afterCa).toContain(
      "<INF>     1389 [MQTTAgent ] Valid From: 2009-09-01, Expires: 2037-12-31 (mbedtls_transport.c:337)",
    );
    expect(afterCa).toContain("<ASR>     1390 [MQTTAgent ] Non-fatal assertion failed. (kvstore.c:356)");
    expect(afterCa).toContain(
      "<ERR>     1390 [MQTTAgent ] Invalid mqtt endpoint read from KVStore. (mqtt_agent_task.c:920)",
    );
    expect(afterCa.join("\n")).not.toContain("Failed to mount partition");

    await h.command("conf set mqtt_endpoint a-ats.iot.us-west-2.amazonaws.com");
    await h.command("conf commit", 500);
    expect(logLines(await h.command("reset", 2500))).toContain(
      "<ERR>     1390 [MQTTAgent ] Invalid mqtt port number read from KVStore. (mqtt_agent_task.c:932)",
    );

    await h.command("conf set mqtt_port 8883");
    await h.command("conf commit", 500);
    const configured = logLines(await h.command("reset", 2500)).join("\n");
    expect(configured).not.toContain("Terminating MqttAgentTask");
    expect(configured).toContain("Waiting until MQTT Agent is connected.");
  });

  it("the OTA task gives up on MQTT at 121.4 s and then reports its state every 30 s (§6.2)", async () => {
    h = await BoardHarness.booted();
    await h.clock.advance(182_000 - h.clock.now());
    expect(logLines(h.take())).toEqual([
      "<INF>   121400 [OTAUpdate ] Timed out while waiting for MQTT Agent connection. (ota_update_task.c:1383)",
      "<INF>   151400 [OTAUpdate ] State: RequestingJob   Received: 0   Queued: 0   Processed: 0   Dropped: 0 (ota_update_task.c:1470)",
      "<INF>   181400 [OTAUpdate ] State: RequestingJob   Received: 0   Queued: 0   Processed: 0   Dropped: 0 (ota_update_task.c:1470)",
    ]);
  });

  it("prints the imported CA's own fields, e.g. Amazon Root CA 1 (§6.1)", async () => {
    h = await BoardHarness.booted();
    const pem = readFileSync(new URL("../../data/aws-root-cas/AmazonRootCA1.pem", import.meta.url), "latin1");
    await h.send(`pki import cert root_ca_cert\r${pem.trim().split("\n").join("\r")}\r`, 500);
    const booted = await h.command("reset", 2500);
    const serial = new X509Certificate(pem).serialNumber.toUpperCase();
    expect(logLines(booted)).toContain(
      `<INF>     1389 [MQTTAgent ] CA Certificate:  CN=Amazon Root CA 1, SN:0x${serial} (mbedtls_transport.c:335)`,
    );
  });
});
