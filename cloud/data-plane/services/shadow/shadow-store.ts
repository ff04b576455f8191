// Where shadow documents live: per account, in memory, optionally persisted as one JSON file per
// account next to the registry state (`<state>/cloud/shadows/<accountId>.json`), written atomically.
import { join } from "node:path";
import { readJson, writeJsonAtomic } from "../../../registry/state-file.ts";
import type { JsonObject } from "./shadow-state.ts";

export interface ShadowRecord {
  desired?: JsonObject;
  reported?: JsonObject;
  metadata: { desired?: JsonObject; reported?: JsonObject };
  version: number;
  /** Deleted shadows keep their version: a new one continues it (aws-iot-docs device-shadow-data-flow). */
  deleted: boolean;
}

export interface AccountShadows {
  get(key: string): ShadowRecord | undefined;
  set(key: string, record: ShadowRecord): void;
}

class StoredShadows implements AccountShadows {
  constructor(
    private readonly records: Map<string, ShadowRecord>,
    private readonly changed: () => void,
  ) {}

  get(key: string): ShadowRecord | undefined {
    return this.records.get(key);
  }

  set(key: string, record: ShadowRecord): void {
    this.records.set(key, record);
    this.changed();
  }
}

/** Every account's shadows; `dir` undefined keeps them in memory only. */
export class ShadowStore {
  private readonly accounts = new Map<string, Map<string, ShadowRecord>>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dir?: string) {}

  account(accountId: string): AccountShadows {
    let records = this.accounts.get(accountId);
    if (!records) {
      records = new Map(Object.entries(this.load(accountId)));
      this.accounts.set(accountId, records);
    }
    return new StoredShadows(records, () => this.markDirty(accountId));
  }

  /** Writes what is pending; called on close. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dir) return;
    for (const accountId of this.dirty) {
      const records = this.accounts.get(accountId);
      if (records) writeJsonAtomic(this.file(accountId), { shadows: Object.fromEntries(records) });
    }
    this.dirty.clear();
  }

  private load(accountId: string): Record<string, ShadowRecord> {
    if (!this.dir) return {};
    const stored = readJson(this.file(accountId)) as { shadows?: Record<string, ShadowRecord> } | undefined;
    return stored?.shadows ?? {};
  }

  private markDirty(accountId: string): void {
    if (!this.dir) return;
    this.dirty.add(accountId);
    // A burst of updates costs one write; unref so a pending write never holds the process open.
    this.timer ??= setTimeout(() => {
      try {
        this.flush();
      } catch {
        // A failed write is retried on the next change and on close; the broker keeps serving.
      }
    }, 20);
    this.timer.unref();
  }

  private file(accountId: string): string {
    return join(this.dir ?? "", `${accountId}.json`);
  }
}
