// MxNet/MxCtrl: the EMW3080 Wi-Fi module, association, DHCP and link events (firmware-shell §6.1, §8.6).
import { createHash } from "node:crypto";
import type { FirmwareContext } from "../firmware-context.ts";
import type { NetworkInterface } from "../net/network-interface.ts";
import type { AccessPoint } from "../../world/wifi.ts";

/** The module is queried after a fixed 5 s delay (§6.1: lines at tick 5185). */
const MODULE_READY_TICK = 5185;
const JOIN_MS = 2821;
const DHCP_MS = 7472;
/** Without a status event the task waits up to 120 s, then pauses 30 s before retrying (§8.6, INFERRED). */
const STATUS_WAIT_MS = 120_000;
const RETRY_PAUSE_MS = 30_000;
/** MXCHIP module firmware on these boards (§6.1). */
const MODULE_FIRMWARE = "V2.1.11";
/** SSID/PSK buffers of the module (MX_SSID_BUF_LEN 33, MX_PSK_BUF_LEN 65, §3.3). */
const SSID_MAX = 32;
const PSK_MAX = 64;

/** The MXCHIP OUI 04:78:63 and three bytes derived from the board's identity. */
export function macAddress(commonName: string): string {
  const h = createHash("sha256").update(commonName).digest();
  return ["04", "78", "63", ...[h[0], h[1], h[2]].map((b) => (b ?? 0).toString(16).padStart(2, "0"))]
    .join(":")
    .toUpperCase();
}

const SRC = "mx_netconn.c";

export async function runMxNet(ctx: FirmwareContext, net: NetworkInterface): Promise<void> {
  const log = (level: "INF" | "SYS" | "DBG", task: string, message: string, line: number): void =>
    ctx.logAs(task, level, message, `${SRC}:${line}`);
  await ctx.rtos.sleep(MODULE_READY_TICK - ctx.rtos.tick());
  log("INF", "MxNet", `Firmware Version:   ${MODULE_FIRMWARE}\r\n`, 349);
  log("INF", "MxNet", `HW Address:         ${macAddress(ctx.se.commonName)}\r\n`, 350);

  const dhcp = async (ap: AccessPoint): Promise<void> => {
    log("INF", "MxNet", "Starting DHCP.", 91);
    await ctx.rtos.sleep(DHCP_MS);
    if (!ap.isUp) return;
    const lease = ap.lease();
    log("SYS", "MxNet", "IP Address Change.", 520);
    log("SYS", "MxNet", `${"IP Address:".padEnd(12)}${lease.address}`, 58);
    log("SYS", "MxNet", `${"Gateway:".padEnd(12)}${lease.gateway}`, 58);
    log("SYS", "MxNet", `${"Netmask:".padEnd(12)}${lease.netmask}`, 58);
    net.setUp(true);
  };

  for (;;) {
    // SSID and PSK are read from the kvstore cache at every attempt, staged values included (§3.2).
    const ssid = ctx.kv.getString("wifi_ssid").slice(0, SSID_MAX);
    const psk = ctx.kv.getString("wifi_credential").slice(0, PSK_MAX);
    await ctx.rtos.sleep(JOIN_MS);
    const ap = ctx.world.wifi.associate(ssid, psk);
    if (!ap) {
      // A wrong passphrase or an unknown SSID: no "Station Up", typically no line at all (§8.6).
      await ctx.rtos.sleep(STATUS_WAIT_MS - JOIN_MS);
      await ctx.rtos.sleep(RETRY_PAUSE_MS);
      continue;
    }
    log("DBG", "MxCtrl", "Mx Status notification: None -> Station Up ", 252);
    log("INF", "MxNet", "Administrative UP event.", 533);
    await dhcp(ap);
    await linkLossLoop(ctx, net, ap, log, dhcp);
  }
}

/** Watches the AP: link down drops the interface; link up brings it back through DHCP (§8.6). */
async function linkLossLoop(
  ctx: FirmwareContext,
  net: NetworkInterface,
  ap: AccessPoint,
  log: (level: "INF" | "SYS" | "DBG", task: string, message: string, line: number) => void,
  dhcp: (ap: AccessPoint) => Promise<void>,
): Promise<void> {
  for (;;) {
    await ctx.rtos.await(
      new Promise<void>((resolve) => {
        const off = ap.onLinkChange((up) => {
          if (!up) {
            off();
            resolve();
          }
        });
      }),
    );
    log("SYS", "MxNet", "Network Link Down.", 560);
    net.setUp(false);
    await ctx.rtos.await(
      new Promise<void>((resolve) => {
        const off = ap.onLinkChange((up) => {
          if (up) {
            off();
            resolve();
          }
        });
      }),
    );
    log("INF", "MxNet", "Link UP event.", 540);
    log("SYS", "MxNet", "Network Link Up.", 544);
    await dhcp(ap);
  }
}
