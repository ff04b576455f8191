// `mar-hil <command>`: dispatch, and the only place where errors become exit codes (design: 0 / 1 / 2).
import { isCheckFailure, isEnvironmentError } from "./usage-error.ts";

export type CommandMain = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<CommandMain>> = {
  run: async () => (await import("./commands/run.ts")).run,
  sim: async () => (await import("./commands/sim.ts")).sim,
  report: async () => (await import("./commands/report.ts")).report,
  cloud: async () => (await import("./commands/cloud.ts")).cloud,
  configure: async () => (await import("./commands/configure.ts")).configure,
  register: async () => (await import("./commands/register.ts")).register,
  cleanup: async () => (await import("./commands/cleanup.ts")).cleanup,
  flash: async () => (await import("./commands/flash.ts")).flash,
  boards: async () => (await import("./commands/boards.ts")).boards,
};

const USAGE = `usage: mar-hil <command> [options]

commands:
  run        the scenario library on simulated boards and the cloud twin (the main job)
  sim        simulated boards on serial ports (PTY or TCP) and the cloud twin they connect to
  cloud      the local twin of AWS IoT Core (control plane and MQTT/TLS data plane)
  configure  configure a board over its console from the guide's config.json, verified step by step
  register   MAR registration of a board's certificate (RegisterCertificateWithoutCA, thing, policy)
  report     compare two runs (firmware regression check)
  cleanup    remove a thing and its certificates and policies, in the right order
  flash      check a .bin and flash it to a rack board or an ST-LINK drive, then see it boot
  boards     the ST-LINK boards attached to this host, matched with rack.yaml

Run 'mar-hil <command> --help' for the options of a command.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(`mar-hil: unknown command '${name}'; run 'mar-hil --help' for the list\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest);
  } catch (e) {
    if (isEnvironmentError(e)) {
      process.stderr.write(`mar-hil ${name}: ${e.message}\n`);
      return 2;
    }
    // The device or the cloud misbehaved: a failed check, said in one line.
    if (isCheckFailure(e)) {
      process.stderr.write(`mar-hil ${name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
