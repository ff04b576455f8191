// A Mosquitto broker for the benchmark: a generated config in a temporary directory, one mTLS
// listener on 127.0.0.1 (require_certificate), started and stopped by this process only.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { join } from "node:path";

export const MOSQUITTO = "/usr/sbin/mosquitto";

export interface MosquittoTls {
  /** PEM server certificate (and chain) and its key. */
  certPem: string;
  keyPem: string;
  /** PEM CA that client certificates must chain to. */
  clientCaPem: string;
}

export interface RunningMosquitto {
  port: number;
  stop(): Promise<void>;
}

/** A free port on 127.0.0.1: Mosquitto has no ephemeral-port listener, so ask the kernel for one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the listener accepts TCP connections; Mosquitto logs nothing at the levels kept. */
async function ready(child: ChildProcess, port: number, deadlineMs: number): Promise<void> {
  let log = "";
  child.stderr?.on("data", (b: Buffer) => (log += b.toString()));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}: ${log}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() - started > deadlineMs)
      throw new Error(`mosquitto not listening after ${deadlineMs} ms: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startMosquitto(dir: string, tls: MosquittoTls): Promise<RunningMosquitto> {
  if (!existsSync(MOSQUITTO)) throw new Error(`${MOSQUITTO} not found: apt-get install mosquitto`);
  const port = await freePort();
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  const config = file(
    "mosquitto.conf",
    [
      `listener ${port} 127.0.0.1`,
      `certfile ${file("server.pem", tls.certPem)}`,
      `keyfile ${file("server.key", tls.keyPem)}`,
      `cafile ${file("clients-ca.pem", tls.clientCaPem)}`,
      "require_certificate true",
      "allow_anonymous true",
      "persistence false",
      // Errors and warnings only: logging every connection would cost Mosquitto time the twin does not spend.
      // Run as the invoking user: the files above are private to it.
      `user ${process.getuid?.() === 0 ? "root" : (process.env.USER ?? "mosquitto")}`,
      "log_dest stderr",
      "log_type error",
      "log_type warning",
      "",
    ].join("\n"),
  );
  const child = spawn(MOSQUITTO, ["-c", config], { stdio: ["ignore", "ignore", "pipe"] });
  await ready(child, port, 10_000);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
