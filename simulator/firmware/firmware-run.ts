// One boot of the firmware: from reset until the next reset or power-off. Owns the RAM state that a
// reset loses: the console, the kvstore cache, the task table, `help`'s pointer, pending timers.
import { X509Certificate } from "node:crypto";
import type { Socket } from "node:net";
import { Console, type ReadResult } from "../shell/console.ts";
import type { Cli } from "../shell/cli.ts";
import type { CommandName } from "../shell/help-texts.ts";
import { runShell } from "../shell/shell.ts";
import type { SecureElement } from "../stsafe/secure-element.ts";
import type { World } from "../world/world.ts";
import { bootPlan, CLI_READY_TICK } from "./boot-sequence.ts";
import type { FirmwareContext } from "./firmware-context.ts";
import { KeyValueStore } from "./key-value-store.ts";
import { formatLogLine, type LogLevel } from "./log-line.ts";
import { startNetworkTasks } from "./network-tasks.ts";
import type { FirmwareProfile } from "./profiles.ts";
import { Rtos } from "./rtos.ts";
import { TaskTable, type Task } from "./tasks.ts";

/** LSI 32 kHz / 64, reload 4095 (§2.12). */
export const WATCHDOG_MS = 8190;

export interface Hardware {
  world: World;
  se: SecureElement;
  profile: FirmwareProfile;
  /** True when the littlefs partition is blank; the boot formats it. */
  fileSystemBlank: boolean;
  transmit: (bytes: Buffer) => void;
  /** The MCU resets itself (NVIC_SystemReset or the watchdog). */
  onSelfReset: () => void;
  /** A defect of the twin itself; the board hangs as the firmware would on a HardFault. */
  onInternalError: (error: unknown) => void;
  /** Keeps a connection of a dead boot open and silent until the board is disposed. */
  abandon: (socket: Socket) => void;
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});

export class FirmwareRun implements Cli, FirmwareContext {
  readonly rtos: Rtos;
  readonly console: Console;
  readonly kv: KeyValueStore;
  readonly tasks: TaskTable;
  readonly help: { last: CommandName | undefined } = { last: undefined };
  private cliReady = false;

  constructor(private readonly hw: Hardware) {
    this.rtos = new Rtos(hw.world.clock);
    this.console = new Console({
      clock: hw.world.clock,
      transmit: hw.transmit,
      onRxOverflow: (n) =>
        this.logAs("uartRx", "WRN", `Dropped ${n} bytes. Console receive buffer full.`, "cli_uart_drv.c:236"),
    });
    this.tasks = new TaskTable((task) => this.taskChanged(task));
    this.kv = new KeyValueStore(hw.se, hw.profile);
  }

  get se(): SecureElement {
    return this.hw.se;
  }

  get profile(): FirmwareProfile {
    return this.hw.profile;
  }

  get world(): World {
    return this.hw.world;
  }

  abandon(socket: Socket): void {
    this.hw.abandon(socket);
  }

  start(): void {
    // Before the scheduler runs, the logger writes synchronously (§1.5).
    const first = formatLogLine({
      level: "INF",
      tick: 0,
      task: "None",
      message: "HW Init Complete.",
      source: "app_freertos.c:161",
    });
    this.hw.transmit(Buffer.from(`\r\n\r\n${first}\r\n`, "latin1"));
    const plan = bootPlan({
      formatFileSystem: this.hw.fileSystemBlank,
      clientCertificate: new X509Certificate(this.se.certificateDer),
      rootCa: parseCertificate(this.se.readRootCa()),
      endpoint: this.kv.getString("mqtt_endpoint"),
      port: this.kv.getNumber("mqtt_port"),
      applicationVersion: this.profile.applicationVersion,
    });
    for (const l of plan.lines) this.rtos.at(l.tick, () => this.logAs(l.task, l.level, l.message, l.source));
    this.rtos.at(CLI_READY_TICK, () => {
      this.cliReady = true;
      runShell(this).catch((e: unknown) => this.hw.onInternalError(e));
    });
    startNetworkTasks(this, { mqttAgentRuns: !plan.mqttAgentTerminates }).catch((e: unknown) =>
      this.hw.onInternalError(e),
    );
  }

  stop(): void {
    this.rtos.stop();
    this.console.close();
  }

  receive(bytes: Buffer): void {
    // Bytes that arrive before the CLI task set up the UART are lost (§1.1).
    if (this.cliReady && this.rtos.running) this.console.receive(bytes);
  }

  log(level: LogLevel, message: string, source: string): void {
    this.logAs("cli", level, message, source);
  }

  logAs(task: string, level: LogLevel, message: string, source: string): void {
    if (!this.rtos.running) return;
    this.console.log(formatLogLine({ level, tick: this.rtos.tick(), task, message, source }));
  }

  // --- Cli ---

  out(text: string): void {
    this.console.write(text);
  }

  readLine(): Promise<ReadResult> {
    // A CLI task that suspended or deleted itself (`kill` with a bad id) never reads again.
    if (this.console.suspended.cli) return never();
    return this.console.readLine();
  }

  async work(ms: number): Promise<void> {
    this.console.beginWork();
    await this.rtos.sleep(ms);
    this.console.endWork();
  }

  uptimeMs(): number {
    return this.rtos.tick();
  }

  reset(): void {
    if (this.rtos.running) this.hw.onSelfReset();
  }

  /** The CPU spins in the HardFault handler: every task stops, nothing more is printed (§2.12). */
  async fault(): Promise<never> {
    this.rtos.stop();
    this.console.close();
    this.hw.world.clock.schedule(WATCHDOG_MS, () => this.hw.onSelfReset());
    return never();
  }

  private taskChanged(task: Task): void {
    if (task.name !== "cli" && task.name !== "uartRx" && task.name !== "uartTx") return;
    if (task.state === "SUSPENDED" || task.state === "DELETED") this.console.suspended[task.name] = true;
    else this.console.resume(task.name);
  }
}

function parseCertificate(der: Buffer | undefined): X509Certificate | undefined {
  if (!der) return undefined;
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}
