// mbedtls_transport: DNS, TCP, then TLS 1.2 with SNI, ALPN x-amzn-mqtt-ca, the STSAFE client
// certificate and the imported root CA as the only anchor (firmware-shell §9.1, §8.3–§8.5).
import { X509Certificate } from "node:crypto";
import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { FirmwareContext } from "../firmware-context.ts";

/** Heap addresses the firmware prints; stable across boots in practice (§6.1). */
export const NETWORK_CONTEXT = "0x20033c10";
export const SSL_CONTEXT = "0x20033ce0";

/** Phase durations of the real board (§6.1 timing model) and lwIP's SYN give-up (§8.4, INFERRED). */
const DNS_MS = 50;
const TCP_MS = 90;
const HANDSHAKE_MS = 1750;
const SYN_TIMEOUT_MS = 20_000;

const VERIFY_ERRORS = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

export interface TransportTarget {
  endpoint: string;
  port: number;
  rootCaDer: Buffer;
}

const AGENT = "MQTTAgent";

/** Opens the TLS connection, logging what mbedtls_transport logs; undefined when it failed. */
export async function openTransport(
  ctx: FirmwareContext,
  t: TransportTarget,
): Promise<TLSSocket | undefined> {
  const log = (level: "INF" | "ERR", message: string, source: string): void =>
    ctx.logAs(AGENT, level, message, source);
  const failed = (): undefined => {
    log(
      "INF",
      `Network connection ${NETWORK_CONTEXT}: to ${t.endpoint}:${t.port} failed.`,
      "mbedtls_transport.c:1400",
    );
    return undefined;
  };

  await ctx.rtos.sleep(DNS_MS);
  const route = ctx.world.dns.resolve(t.endpoint);
  if (!route) {
    log("ERR", `Failed to resolve hostname: ${t.endpoint} to IP address.`, "mbedtls_transport.c:1104");
    return failed();
  }
  log(
    "INF",
    `Trying address: ${route.displayAddress}, port: ${t.port}h for host: ${t.endpoint}.`,
    "mbedtls_transport.c:1145",
  );
  const localPort = route.ports.get(t.port);
  if (localPort === undefined) {
    // Nothing listens on that port: SYNs go unanswered until lwIP gives up.
    await ctx.rtos.sleep(SYN_TIMEOUT_MS);
    return failed();
  }
  const socket = await ctx.rtos.await(tcp(route.host, localPort));
  // A reset or power cut silences the board without a FIN: the broker finds out by itself (keep-alive,
  // or the same client id connecting again), as with the real board.
  if (socket) {
    const forget = ctx.rtos.onStop(() => ctx.abandon(socket));
    socket.once("close", forget);
  }
  await ctx.rtos.sleep(TCP_MS);
  if (!socket) return failed();
  log(
    "INF",
    `Connected socket: 0 to host: ${t.endpoint}, address: ${route.displayAddress}, port: ${t.port}h.`,
    "mbedtls_transport.c:1190",
  );

  const outcome = await ctx.rtos.await(handshake(ctx, socket, t));
  await ctx.rtos.sleep(HANDSHAKE_MS);
  if ("error" in outcome) {
    if (outcome.verify) {
      log("ERR", `${SSL_CONTEXT}: x509_verify_cert() returned -9984 (-0x2700)`, "ssl_tls.c:2119");
    }
    log(
      "ERR",
      `Failed to perform TLS handshake: Error: ${outcome.error} : <No-Low-Level-Code>.`,
      "mbedtls_transport.c:1360",
    );
    socket.destroy();
    return failed();
  }
  log("INF", `Network connection ${NETWORK_CONTEXT}: TLS handshake successful.`, "mbedtls_transport.c:1368");
  log(
    "INF",
    `Network connection ${NETWORK_CONTEXT}: Connection to ${t.endpoint}:${t.port} established.`,
    "mbedtls_transport.c:1375",
  );
  return outcome.socket;
}

function tcp(host: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(undefined));
  });
}

type Handshake = { socket: TLSSocket } | { error: string; verify: boolean };

function handshake(ctx: FirmwareContext, socket: Socket, t: TransportTarget): Promise<Handshake> {
  let ca: string;
  try {
    ca = ctx.world.trust.anchorFor(t.rootCaDer);
  } catch {
    return Promise.resolve({
      error: "X509 - The CRT/CRL/CSR format is invalid, e.g. different type expected",
      verify: false,
    });
  }
  return new Promise((resolve) => {
    const tls = tlsConnect({
      socket,
      servername: t.endpoint,
      ALPNProtocols: ["x-amzn-mqtt-ca"],
      minVersion: "TLSv1.2",
      maxVersion: "TLSv1.2",
      ca,
      cert: new X509Certificate(ctx.se.certificateDer).toString(),
      // The STSAFE signs the handshake; Node's TLS stack needs the key object to stand in for it.
      key: ctx.se.tlsSigningKey().export({ type: "pkcs8", format: "pem" }),
      rejectUnauthorized: true,
    });
    tls.once("secureConnect", () => resolve({ socket: tls }));
    tls.once("error", (e: NodeJS.ErrnoException) => {
      const code = e.code ?? "";
      if (VERIFY_ERRORS.has(code)) {
        resolve({
          error: "X509 - Certificate verification failed, e.g. CRL, CA or signature check failed",
          verify: true,
        });
      } else if (/alert/i.test(e.message)) {
        resolve({ error: "SSL - A fatal alert message was received from our peer", verify: false });
      } else {
        resolve({ error: "SSL - The connection indicated an EOF", verify: false });
      }
    });
  });
}
