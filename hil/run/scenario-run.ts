// The state of one scenario on one board: its console, what it registered, its observers, its cursors.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Registration } from "../aws/index.ts";
import type { BoardConsole } from "../console/index.ts";
import { MqttObserver } from "../observe/index.ts";
import type { BoardIdentity } from "../provision/index.ts";
import type { EventSink } from "../report/events.ts";
import type { BoardHandle, Lab } from "./lab.ts";

const AWS_ROOTS = fileURLToPath(new URL("../../data/aws-root-cas/", import.meta.url));

export function awsRootCa(name = "SFSRootCAG2.pem"): string {
  return readFileSync(new URL(name, `file://${AWS_ROOTS}`), "latin1");
}

export class ScenarioRun implements AsyncDisposable {
  identity: BoardIdentity | undefined;
  readonly registrations: Array<{ account: number; registration: Registration }> = [];
  /** Where expect-serial goes on from: after the last line an expectation matched. */
  serialCursor: number;
  /** Lifecycle events count from here: the last reset / power cycle / reconfiguration. */
  readonly connectCursor = new Map<number, number>();
  private readonly observers = new Map<number, Promise<MqttObserver>>();

  constructor(
    readonly runId: string,
    readonly lab: Lab,
    readonly board: BoardHandle,
    readonly console: BoardConsole,
    readonly events: EventSink,
    readonly scenario: string,
    readonly signal: AbortSignal,
  ) {
    this.serialCursor = console.mark();
  }

  /** A scenario's waits are in firmware time; the twin may run faster. */
  scaled(ms: number): number {
    return Math.max(1000, Math.round(ms / this.lab.timeScale));
  }

  get thingName(): string {
    if (!this.identity) throw new Error("the board's identity is not known yet: configure or register first");
    return this.identity.thingName;
  }

  account(i: number): Lab["accounts"][number] {
    const a = this.lab.accounts[i];
    if (!a) throw new Error(`account ${i}: the lab has ${this.lab.accounts.length}`);
    return a;
  }

  /** The account's observer, watching this board's presence from the start. */
  observer(i: number): Promise<MqttObserver> {
    let o = this.observers.get(i);
    if (!o) {
      const a = this.account(i);
      o = MqttObserver.connect({ iot: a.iot, env: a.env, ...(a.ca ? { ca: a.ca } : {}) });
      this.observers.set(i, o);
    }
    return o;
  }

  /** From now on, only a new connection counts as "connected". */
  async markConnections(): Promise<void> {
    for (const [i, o] of this.observers) this.connectCursor.set(i, (await o).mark());
  }

  /** The broker dropped every client, observers included: the next assertion connects afresh. */
  async replaceObservers(): Promise<void> {
    const old = [...this.observers.values()];
    this.observers.clear();
    this.connectCursor.clear();
    for (const o of old) await (await o.catch(() => undefined))?.close();
  }

  emitMqtt(topic: string, payload: Buffer, time: number): void {
    this.events.emit({ type: "mqtt", time, board: this.board.id, topic, payload: payload.toString("utf8") });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const o of this.observers.values()) await (await o.catch(() => undefined))?.close();
  }
}
