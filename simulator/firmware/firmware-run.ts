// One boot of the firmware: from reset until the next reset or power-off. Owns the RAM state that a
// reset loses: the console, the kvstore cache, the task table, `help`'s pointer, pending timers.
import { X509Certificate } from "node:crypto";
import type { Clock, TimerHandle } from "../world/clock.ts";
import { Console, type ReadResult } from "../shell/console.ts";
import type { Cli } from "../shell/cli.ts";
import type { CommandName } from "../shell/help-texts.ts";
import { runShell } from "../shell/shell.ts";
import type { SecureElement } from "../stsafe/secure-element.ts";
import { bootPlan, CLI_READY_TICK, OTA_STATE_PERIOD_MS, OTA_WAIT_TIMEOUT_TICK } from "./boot-sequence.ts";
import { KeyValueStore } from "./key-value-store.ts";
import { formatLogLine, type LogLevel } from "./log-line.ts";
import type { FirmwareProfile } from "./profiles.ts";
import { TaskTable, type Task } from "./tasks.ts";

/** LSI 32 kHz / 64, reload 4095 (§2.12). */
export const WATCHDOG_MS = 8190;

export interface Hardware {
  clock: Clock;
  se: SecureElement;
  profile: FirmwareProfile;
  /** True when the littlefs partition is blank; the boot formats it. */
  fileSystemBlank: boolean;
  transmit: (bytes: Buffer) => void;
  /** The MCU resets itself (NVIC_SystemReset or the watchdog). */
  onSelfReset: () => void;
  /** A defect of the twin itself; the board hangs as the firmware would on a HardFault. */
  onInternalError: (error: unknown) => void;
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});

export class FirmwareRun implements Cli {
  readonly console: Console;
  readonly kv: KeyValueStore;
  readonly tasks: TaskTable;
  readonly help: { last: CommandName | undefined } = { last: undefined };
  private readonly bootAt: number;
  private readonly timers = new Set<TimerHandle>();
  private stopped = false;
  private cliReady = false;

  constructor(private readonly hw: Hardware) {
    this.bootAt = hw.clock.now();
    this.console = new Console({
      clock: hw.clock,
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
    for (const l of plan.lines) this.at(l.tick, () => this.logAs(l.task, l.level, l.message, l.source));
    if (plan.mqttAgentTerminates) this.at(1391, () => this.tasks.delete("MQTTAgent"));
    this.at(CLI_READY_TICK, () => {
      this.cliReady = true;
      runShell(this).catch((e: unknown) => this.hw.onInternalError(e));
    });
    this.at(OTA_WAIT_TIMEOUT_TICK, () => this.otaGivesUp());
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.console.close();
  }

  receive(bytes: Buffer): void {
    // Bytes that arrive before the CLI task set up the UART are lost (§1.1).
    if (this.cliReady && !this.stopped) this.console.receive(bytes);
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

  log(level: LogLevel, message: string, source: string): void {
    this.logAs("cli", level, message, source);
  }

  async work(ms: number): Promise<void> {
    this.console.busy = true;
    await this.sleep(ms);
    this.console.busy = false;
    this.console.pump();
  }

  uptimeMs(): number {
    return Math.round(this.hw.clock.now() - this.bootAt);
  }

  reset(): void {
    if (!this.stopped) this.hw.onSelfReset();
  }

  async fault(): Promise<never> {
    this.console.busy = true;
    this.console.suspended.uartRx = true;
    await this.sleep(WATCHDOG_MS);
    this.reset();
    return never();
  }

  // --- internals ---

  logAs(task: string, level: LogLevel, message: string, source: string): void {
    if (this.stopped) return;
    this.console.log(formatLogLine({ level, tick: this.uptimeMs(), task, message, source }));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  private at(tick: number, fn: () => void): void {
    this.after(this.bootAt + tick - this.hw.clock.now(), fn);
  }

  private after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const handle = this.hw.clock.schedule(ms, () => {
      this.timers.delete(handle);
      if (!this.stopped) fn();
    });
    this.timers.add(handle);
  }

  private otaGivesUp(): void {
    this.logAs(
      "OTAUpdate",
      "INF",
      "Timed out while waiting for MQTT Agent connection.",
      "ota_update_task.c:1383",
    );
    const report = (): void => {
      this.logAs(
        "OTAUpdate",
        "INF",
        "State: RequestingJob   Received: 0   Queued: 0   Processed: 0   Dropped: 0",
        "ota_update_task.c:1470",
      );
      this.after(OTA_STATE_PERIOD_MS, report);
    };
    this.after(OTA_STATE_PERIOD_MS, report);
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
