// A rack's boards seen through the runner's eyes: leased, reached through their consoles, powered by
// the rack's hooks and flashed by its flashers; the cloud is AWS (or a local twin for simulated racks).
import { IoTClient } from "@aws-sdk/client-iot";
import { iotClientFromEnv } from "../hil/aws/index.ts";
import { Rack, type RackBoard } from "../hil/board/index.ts";
import { flashBoard } from "../hil/flash/index.ts";
import { StepUnsupportedError } from "../hil/run/board-steps.ts";
import type { AccountHandle, BoardHandle, Lab } from "../hil/run/lab.ts";
import { runningCloudAccount } from "./running-cloud.ts";
import { UsageError } from "./usage-error.ts";
import { usbSource } from "./usb-source.ts";

export interface RackLab {
  lab: Lab;
  release(): Promise<void>;
}

/** AWS: the standard chain for account A; account B (for account moves) from MAR_HIL_AWS_PROFILE_B. */
function awsAccounts(env: NodeJS.ProcessEnv): AccountHandle[] {
  const accounts: AccountHandle[] = [{ iot: iotClientFromEnv(), env }];
  const profileB = env.MAR_HIL_AWS_PROFILE_B;
  if (profileB)
    accounts.push({ iot: new IoTClient({ profile: profileB }), env: { ...env, AWS_PROFILE: profileB } });
  return accounts;
}

function localAccounts(stateDir: string): AccountHandle[] {
  const accounts: AccountHandle[] = [];
  for (let i = 0; ; i++) {
    try {
      const a = runningCloudAccount(stateDir, i);
      accounts.push({ iot: iotClientFromEnv(a.env), env: a.env });
    } catch (e) {
      if (i === 0) throw e;
      return accounts;
    }
  }
}

async function handle(board: RackBoard): Promise<BoardHandle> {
  const console = await board.console();
  return {
    id: board.id,
    console: console.target,
    ...(console.serial ? { serial: console.serial } : {}),
    // Without a power hook, a rack that says `reset: probe` restarts the MCU through its ST-LINK instead.
    ...(board.power
      ? { powerCycle: () => board.power!.cycle() }
      : board.probeReset
        ? { powerCycle: async () => void (await board.probeReset!.reset()) }
        : {}),
    flash: async ({ bin }) => {
      if (!bin)
        throw new StepUnsupportedError(
          `${board.id}: a racked board is flashed from a .bin (flash: { bin: FILE })`,
        );
      await flashBoard(bin, {
        flasher: board.flasher(),
        console: console.target,
        ...(console.serial ? { serial: console.serial } : {}),
        ...(board.bootReset ? { reset: board.bootReset } : {}),
      });
    },
  };
}

export async function rackLab(o: {
  file: string;
  cloud: "aws" | "local";
  stateDir: string;
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
}): Promise<RackLab> {
  const env = o.env ?? process.env;
  const ssid = env.MAR_HIL_WIFI_SSID;
  const credential = env.MAR_HIL_WIFI_CREDENTIAL;
  if (!ssid || !credential) {
    throw new UsageError(
      "racked boards need the lab's Wi-Fi: set MAR_HIL_WIFI_SSID and MAR_HIL_WIFI_CREDENTIAL",
    );
  }
  const rack = await Rack.load(o.file, { usb: usbSource(env) });
  const accounts = o.cloud === "aws" ? awsAccounts(env) : localAccounts(o.stateDir);
  const leased: RackBoard[] = [];
  const release = async (): Promise<void> => {
    for (const b of leased.splice(0)) await b[Symbol.asyncDispose]();
  };
  try {
    for (const entry of rack.config.boards) {
      leased.push(
        await rack.acquire(entry.id, { owner: `mar-hil run (pid ${process.pid})`, signal: o.signal }),
      );
    }
    const boards = await Promise.all(leased.map(handle));
    return {
      lab: {
        target: `rack ${o.file} on ${o.cloud === "aws" ? "AWS" : "the local twin"}`,
        boards,
        accounts,
        wifi: { ssid, credential },
        timeScale: 1,
      },
      release,
    };
  } catch (e) {
    await release();
    throw e;
  }
}
