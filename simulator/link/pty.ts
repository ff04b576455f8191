// The board's UART as a real tty that any serial terminal or the `serialport` package opens.
// socat owns the pseudo-terminal; its stdin/stdout carry the bytes to and from the board.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { LinkUnavailableError, type BoardPort, type UartPins } from "./board-port.ts";
import { wire } from "./wire.ts";

const READY_TIMEOUT_MS = 5000;
/** Output bytes allowed to wait for a reader beyond what the pty itself buffers. */
const UNREAD_LIMIT = 64 * 1024;

export function socatAvailable(): boolean {
  return spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;
}

/** Creates a PTY whose stable path is the symlink `path`. */
export async function openPtyPort(pins: UartPins, path: string, baud = 0): Promise<BoardPort> {
  if (!socatAvailable()) {
    throw new LinkUnavailableError(
      "socat is not installed; PTY links need it: apt-get install -y socat (or use --link tcp)",
    );
  }
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  const child = spawn("socat", ["-d", "-d", `PTY,raw,echo=0,link=${path}`, "STDIO"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const timer = setTimeout(
      () =>
        reject(
          new LinkUnavailableError(`socat did not create ${path} within ${READY_TIMEOUT_MS} ms: ${log}`),
        ),
      READY_TIMEOUT_MS,
    );
    child.once("error", (e) => reject(new LinkUnavailableError(`socat failed to start: ${e.message}`)));
    child.stderr.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("starting data transfer loop")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new LinkUnavailableError(`socat exited with ${code}: ${log.trim()}`));
    });
  });
  child.stdin.on("error", () => {});
  // Nobody reading the tty: the ST-LINK's VCP drops what it cannot deliver, so do not queue it.
  const toHost = (bytes: Buffer): void => {
    if (child.stdin.writableLength < UNREAD_LIMIT) child.stdin.write(bytes);
  };
  const link = wire(pins, toHost, baud);
  child.stdout.on("data", (bytes: Buffer) => link.fromHost(bytes));
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        link.close();
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
