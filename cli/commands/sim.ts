// `mar-hil sim`: simulated boards on real serial ports, until SIGINT/SIGTERM.
import type { LinkKind } from "../../simulator/fleet.ts";
import { profileNamed, PROFILES } from "../../simulator/firmware/profiles.ts";
import { SystemClock } from "../../simulator/world/clock.ts";
import { DEFAULT_ACCESS_POINT } from "../../simulator/world/wifi.ts";
import { integerOption, numberOption, parseOptions } from "../args.ts";
import { publishRunningCloud } from "../running-cloud.ts";
import { Simulation } from "../simulation.ts";
import { UsageError } from "../usage-error.ts";
import { cloudHumanText } from "./cloud.ts";
import { withStateDir } from "../state-dir.ts";
import { waitForStopSignal } from "../wait-for-signal.ts";

const HELP = `usage: mar-hil sim [--boards N] [--link pty|tcp] [--profile NAME] [--baud B] [--time-scale X]
                   [--wifi-ssid S] [--wifi-credential P] [--state DIR] [--json]

Starts N simulated B-U585I-IOT02A boards, each on a tty path (PTY, needs socat) or a raw TCP port
(ser2net style), and the IoT Core twin they connect to; runs until SIGINT/SIGTERM.

  --boards N       number of boards (default 2)
  --link pty|tcp   how the consoles are exposed (default pty)
  --profile NAME   firmware to flash: ${Object.keys(PROFILES).join(", ")} (default: what the board last ran, mar-2025-02 when new)
  --baud B         pace serial bytes at B baud, 8N1; 0 is unpaced (default 0)
  --time-scale X   run firmware timers X times faster (default 1)
  --wifi-ssid S    the simulated access point's SSID (default ${DEFAULT_ACCESS_POINT.ssid})
  --wifi-credential P  its WPA2 passphrase (default ${DEFAULT_ACCESS_POINT.credential})
  --state DIR      board identities and secure-element contents (default .mar-hil)
  --json           one JSON object per board, then the cloud object, on stdout`;

export async function sim(argv: string[]): Promise<number> {
  const o = parseOptions(argv, {
    boards: { type: "string" },
    link: { type: "string" },
    profile: { type: "string" },
    baud: { type: "string" },
    "time-scale": { type: "string" },
    "wifi-ssid": { type: "string" },
    "wifi-credential": { type: "string" },
    state: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const link = (o.link ?? "pty") as LinkKind;
  if (link !== "pty" && link !== "tcp") throw new UsageError(`--link must be pty or tcp, got '${o.link}'`);
  if (o.profile !== undefined && !profileNamed(o.profile)) {
    throw new UsageError(`unknown --profile '${o.profile}'; known: ${Object.keys(PROFILES).join(", ")}`);
  }
  const stateDir = o.state ?? ".mar-hil";
  const boards = integerOption(o.boards, "boards", 2, 1);
  const baud = integerOption(o.baud, "baud", 0);
  const clock = new SystemClock(numberOption(o["time-scale"], "time-scale", 1));
  const accessPoint = {
    ssid: o["wifi-ssid"] ?? DEFAULT_ACCESS_POINT.ssid,
    credential: o["wifi-credential"] ?? DEFAULT_ACCESS_POINT.credential,
  };
  const simulation = await withStateDir(stateDir, () =>
    Simulation.start({ stateDir, boards, link, profile: o.profile, baud, clock, accessPoint }),
  );
  let unpublish = (): void => {};
  try {
    // Listen before printing: whoever reads the lines may signal at once.
    const stopped = waitForStopSignal();
    for (const { board, port, drive } of simulation.fleet.boards) {
      const record = {
        event: "board",
        board: board.id,
        port: port.path,
        commonName: board.se.commonName,
        thingName: board.thingName,
        certificateId: board.se.certificateId,
        drive,
      };
      if (o.json) process.stdout.write(`${JSON.stringify(record)}\n`);
      else
        process.stdout.write(`${board.id}  ${port.path}  ${board.se.commonName}  thing ${board.thingName}\n`);
    }
    const cloud = simulation.cloud.describe();
    unpublish = publishRunningCloud(stateDir, cloud);
    if (o.json) process.stdout.write(`${JSON.stringify(cloud)}\n`);
    else process.stdout.write(`${cloudHumanText(cloud)}Wi-Fi access point: ${accessPoint.ssid}\n`);
    process.stderr.write("boards and cloud twin running; Ctrl-C to stop\n");
    await stopped;
  } finally {
    unpublish();
    await simulation.close();
  }
  return 0;
}
