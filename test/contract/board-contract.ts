// The board contract: the original guide's manual flow over a serial console, written once and run
// against every target (twin in-process, twin on a PTY through `serialport`, twin over TCP, real board).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import type { ByteChannel } from "../support/byte-channel.ts";

const SFS = readFileSync(new URL("../../data/aws-root-cas/SFSRootCAG2.pem", import.meta.url), "latin1");
const ENDPOINT = "a1qwhobjtvew8t-ats.iot.us-west-2.amazonaws.com";
const IDLE_PROMPT = /\r\n> $/;
const BOOTED = /Waiting until MQTT Agent is connected\. \(ota_update_task\.c:1367\)\r\n> $/;

async function command(port: ByteChannel, line: string, timeoutMs = 5000): Promise<string> {
  port.mark();
  await port.write(`${line}\r\n`);
  const seen = await port.until(new RegExp(`${escape(line)}\\r\\n[\\s\\S]*\\r\\n> $`), timeoutMs);
  // Log lines may arrive at any time; they are not part of the reply.
  return seen
    .slice(seen.indexOf(`${line}\r\n`) + line.length + 2, -4)
    .split("\r\n")
    .filter((l) => !/^(> )?(\r\x1b\[K)?<[A-Z]{3}> /.test(l))
    .join("\r\n");
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function describeBoardContract(open: () => Promise<ByteChannel>): void {
  it("runs the original guide's manual flow: root CA, four conf set, commit, identity, reset", async () => {
    const port = await open();
    try {
      await port.write("\x03");
      await port.until(IDLE_PROMPT);

      port.mark();
      await port.write("pki import cert root_ca_cert\r\n");
      for (const line of SFS.trim().split("\n")) {
        await port.until(/> $/);
        await port.write(`${line}\r\n`);
      }
      await port.until("Success: Certificate loaded to label: 'root_ca_cert'.\r\n");
      await port.until(/Successfully closed PKCS #11 session\. \(core_pkcs11_mbedtls\.c:2178\)\r\n> $/);

      expect(await command(port, `conf set mqtt_endpoint ${ENDPOINT}`)).toBe(`mqtt_endpoint="${ENDPOINT}"`);
      expect(await command(port, "conf set mqtt_port 8883")).toBe("mqtt_port=8883");
      expect(await command(port, "conf set wifi_ssid st_iot_demo")).toBe('wifi_ssid="st_iot_demo"');
      expect(await command(port, "conf set wifi_credential s3cret-psk")).toBe('wifi_credential="s3cret-psk"');
      expect(await command(port, "conf commit")).toBe("Configuration saved to NVM.");

      const conf = await command(port, "conf get");
      const thing = /thing_name="(eval3-[0-9A-F]+)"/.exec(conf)?.[1];
      expect(conf).toContain(`mqtt_endpoint="${ENDPOINT}"\r\nmqtt_port=8883\r\nwifi_ssid="st_iot_demo"`);

      const exported = await command(port, "pki export cert tls_cert");
      const body =
        exported.split("-----BEGIN CERTIFICATE-----\r\n")[1]?.split("-----END CERTIFICATE-----")[0] ?? "";
      const { X509Certificate } = await import("node:crypto");
      const cert = new X509Certificate(Buffer.from(body.replace(/\r\n/g, ""), "base64"));
      const cn = /CN=(eval3-[0-9A-F]+)/.exec(cert.subject)?.[1] ?? "";
      // The shipped firmware's thing name is the CN without its last character.
      expect([cn, cn.slice(0, -1)]).toContain(thing);

      port.mark();
      await port.write("reset\r\n");
      await port.until("Resetting device.\r\n\r\n<INF>        0 [None      ] HW Init Complete.");
      await port.until(BOOTED);
      const after = await command(port, "conf get");
      expect(after).toBe(conf);
    } finally {
      await port.close();
    }
  });
}
