// FreeRTOS tasks as `ps`, `kill` and `killall` see them (firmware-shell §2.5–§2.7).
// Names and priorities are from the source; IDs, stack sizes and high-water marks are INFERRED.

export type TaskState = "RUNNING" | "READY" | "BLOCKED" | "SUSPENDED" | "DELETED";

export interface Task {
  id: number;
  name: string;
  priority: number;
  /** Stack size in words. */
  stack: number;
  /** Minimum free stack seen, in words. */
  highWaterMark: number;
  state: TaskState;
  /** Share of the run-time counter, in percent. */
  cpu: number;
}

type Spec = [name: string, priority: number, stack: number, highWaterMark: number, state?: TaskState];

// Creation order at boot, before networking is up.
const BOOT_TASKS: Spec[] = [
  ["defaultTask", 24, 1024, 620, "SUSPENDED"],
  ["IDLE", 0, 256, 208, "READY"],
  ["Tmr Svc", 24, 512, 436],
  ["cli", 10, 2050, 1500],
  ["uartRx", 30, 512, 380],
  ["uartTx", 24, 512, 392],
  ["Heartbeat", 0, 128, 88],
  ["MxNet", 23, 1024, 612],
  ["MxData", 25, 1024, 742],
  ["MxCtrl", 24, 1024, 760],
  ["lwIP", 25, 1024, 688],
  ["MQTTAgent", 10, 2048, 1108],
  ["PubSub", 10, 1024, 704],
  ["OTAUpdate", 1, 4096, 3420],
  ["EnvSense", 6, 1024, 724],
  ["MotionS", 5, 1024, 716],
  ["ShadowDevice", 5, 1024, 660],
  ["AWSDefender", 5, 2048, 1590],
];

const LATE_TASKS: Readonly<Record<string, [priority: number, stack: number, highWaterMark: number]>> = {
  OTAAgent: [3, 4096, 3100],
  SockNotify: [0, 512, 380],
};

export const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGTERM: 15,
  SIGSTOP: 23,
  SIGSTP: 24,
  SIGCONT: 25,
};

export class TaskTable {
  private readonly tasks: Task[] = BOOT_TASKS.map(([name, priority, stack, highWaterMark, state], i) => ({
    id: i + 1,
    name,
    priority,
    stack,
    highWaterMark,
    state: state ?? "BLOCKED",
    cpu: name === "IDLE" ? 97 : 0,
  }));

  constructor(private readonly onChange: (task: Task) => void = () => {}) {}

  list(): readonly Task[] {
    return this.tasks.filter((t) => t.state !== "DELETED");
  }

  byId(id: number): Task | undefined {
    return this.list().find((t) => t.id === id);
  }

  byName(name: string): Task | undefined {
    return this.list().find((t) => t.name === name);
  }

  /** A task created after boot (OTAAgent once MQTT is up or its wait timed out). */
  create(name: string): void {
    if (this.byName(name)) return;
    const spec = LATE_TASKS[name] ?? [0, 512, 400];
    const [priority, stack, highWaterMark] = spec;
    const task: Task = {
      id: this.tasks.length + 1,
      name,
      priority,
      stack,
      highWaterMark,
      state: "BLOCKED",
      cpu: 0,
    };
    this.tasks.push(task);
    this.onChange(task);
  }

  delete(name: string): void {
    const task = this.byName(name);
    if (task) this.apply(task, "DELETED");
  }

  /** Delivers a signal as the CLI's `kill` does: only QUIT/TERM, STOP/STP and CONT do anything. */
  signal(task: Task, signal: number): void {
    if (signal === SIGNALS.SIGQUIT || signal === SIGNALS.SIGTERM) this.apply(task, "DELETED");
    else if (signal === SIGNALS.SIGSTOP || signal === SIGNALS.SIGSTP) this.apply(task, "SUSPENDED");
    else if (signal === SIGNALS.SIGCONT && task.state === "SUSPENDED") this.apply(task, "BLOCKED");
  }

  private apply(task: Task, state: TaskState): void {
    task.state = state;
    this.onChange(task);
  }
}
