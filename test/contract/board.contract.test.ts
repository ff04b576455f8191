// One contract, several targets (style.md rule 3). Unavailable targets are skipped with the reason.
import { connect } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SerialPort } from "serialport";
import { afterAll, beforeAll, describe } from "vitest";
import { Fleet, type LinkKind } from "../../simulator/fleet.ts";
import { socatAvailable } from "../../simulator/link/pty.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { TextCollector, type ByteChannel } from "../support/byte-channel.ts";
import { describeBoardContract } from "./board-contract.ts";

function serialChannel(path: string): () => Promise<ByteChannel> {
  return async () => {
    const port = new SerialPort({ path, baudRate: 115200, dataBits: 8, parity: "none", stopBits: 1 });
    await new Promise<void>((resolve, reject) => port.once("open", resolve).once("error", reject));
    const rx = new TextCollector();
    port.on("data", (b: Buffer) => rx.push(b));
    return {
      write: (s) =>
        new Promise<void>((resolve, reject) =>
          port.write(Buffer.from(s, "latin1"), (e) => (e ? reject(e) : port.drain(() => resolve()))),
        ),
      until: (p, t) => rx.until(p, t),
      mark: () => rx.mark(),
      close: () => new Promise<void>((resolve) => port.close(() => resolve())),
    };
  };
}

function tcpChannel(address: string): () => Promise<ByteChannel> {
  return async () => {
    const url = new URL(address);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const rx = new TextCollector();
    socket.on("data", (b) => rx.push(b));
    return {
      write: (s) => new Promise<void>((resolve) => socket.write(Buffer.from(s, "latin1"), () => resolve())),
      until: (p, t) => rx.until(p, t),
      mark: () => rx.mark(),
      close: async () => void socket.end(),
    };
  };
}

function simulated(
  link: LinkKind,
  channel: (address: string, fleet: Fleet) => () => Promise<ByteChannel>,
): void {
  let fleet: Fleet;
  let dir: string;
  let open: () => Promise<ByteChannel>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mar-hil-contract-"));
    fleet = await Fleet.start({ stateDir: dir, boards: 1, link, clock: new SystemClock(10), baud: 115200 });
    open = channel(fleet.boards[0]?.port.path ?? "", fleet);
  });
  afterAll(async () => {
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  });
  describeBoardContract(() => open());
}

describe("board contract: twin in-process", () => {
  simulated("inproc", (_address, fleet) => async () => {
    const stream = fleet.boards[0]?.stream;
    if (!stream) throw new Error("in-process fleet without a stream");
    const rx = new TextCollector();
    const onData = (b: Buffer): void => rx.push(b);
    stream.on("data", onData);
    return {
      write: async (s) => void stream.write(Buffer.from(s, "latin1")),
      until: (p, t) => rx.until(p, t),
      mark: () => rx.mark(),
      close: async () => void stream.off("data", onData),
    };
  });
});

describe.skipIf(!socatAvailable())("board contract: twin on a PTY through serialport (needs socat)", () => {
  simulated("pty", (path) => serialChannel(path));
});

describe("board contract: twin on raw TCP (ser2net style)", () => {
  simulated("tcp", (address) => tcpChannel(address));
});

const realPort = process.env.MAR_HIL_PORT;
describe.skipIf(!realPort)("board contract: real board at MAR_HIL_PORT (set MAR_HIL_PORT to run)", () => {
  describeBoardContract(
    realPort?.startsWith("tcp://") ? tcpChannel(realPort) : serialChannel(realPort ?? "/dev/null"),
  );
});
