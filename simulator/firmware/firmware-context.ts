// What a firmware task can reach during one boot.
import type { Socket } from "node:net";
import type { SecureElement } from "../stsafe/secure-element.ts";
import type { World } from "../world/world.ts";
import type { KeyValueStore } from "./key-value-store.ts";
import type { LogLevel } from "./log-line.ts";
import type { FirmwareProfile } from "./profiles.ts";
import type { Rtos } from "./rtos.ts";
import type { TaskTable } from "./tasks.ts";

export interface FirmwareContext {
  readonly rtos: Rtos;
  readonly kv: KeyValueStore;
  readonly se: SecureElement;
  readonly profile: FirmwareProfile;
  readonly tasks: TaskTable;
  readonly world: World;
  /** A connection the board stops using at once when it loses power; it is freed with the board. */
  abandon(socket: Socket): void;
  /** A log line from `task` in the §5 format. */
  logAs(task: string, level: LogLevel, message: string, source: string): void;
}
