// The IoT Core twin's registry: several accounts, each with its own endpoint, keys and resources,
// persisted under `<state>/cloud/` (aws-iot §1, §3). Per-instance state only: two twins in one
// process never share anything.
import { join } from "node:path";
import { AccountData } from "./account-data.ts";
import { endpointAddress, newAccountIdentity, type AccountIdentity } from "./account-identity.ts";
import { AccountRegistry } from "./account-registry.ts";
import { readJson, writeJsonAtomic } from "./state-file.ts";
import type {
  AccessKey,
  Account,
  CertificateRecord,
  PolicyRecord,
  RegistryChange,
  RegistryView,
  ThingRecord,
} from "./types.ts";

export interface RegistryOptions {
  /** Directory of the cloud state, usually `<state>/cloud`. */
  dir: string;
  /** Accounts to expose; missing ones are created (default 2). */
  accounts?: number;
  /** Regions given to new accounts, in turn (default us-east-1: MAR moves devices within a Region, aws-iot §1.1). */
  regions?: readonly string[];
  /** Injected clock, epoch milliseconds (style.md rule 8). */
  now?: () => number;
  /** Writes are coalesced for this long, so a burst of calls costs one write per account. */
  flushDelayMs?: number;
}

interface AccountSlot {
  identity: AccountIdentity;
  data: AccountData;
  writer: AccountRegistry;
}

export class Registry implements RegistryView {
  private readonly slots: AccountSlot[] = [];
  private readonly listeners = new Set<(change: RegistryChange) => void>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushError: unknown;
  private lastFlushMs = 0;
  private readonly now: () => number;
  private readonly flushDelayMs: number;

  private constructor(
    private readonly dir: string,
    identities: AccountIdentity[],
    options: RegistryOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.flushDelayMs = options.flushDelayMs ?? 10;
    for (const identity of identities) {
      const data = AccountData.fromJSON(readJson(this.accountFile(identity.accountId)));
      const writer = new AccountRegistry({
        identity,
        data,
        now: () => this.now() / 1000,
        changed: (change) => this.changed(identity.accountId, change),
      });
      this.slots.push({ identity, data, writer });
    }
  }

  /** Loads the registry of a state directory, creating accounts up to `options.accounts`. */
  static open(options: RegistryOptions): Registry {
    const file = join(options.dir, "accounts.json");
    const stored = (readJson(file) as { accounts: AccountIdentity[] } | undefined)?.accounts ?? [];
    const wanted = options.accounts ?? 2;
    const regions = options.regions?.length ? options.regions : ["us-east-1"];
    const all = [...stored];
    while (all.length < wanted)
      all.push(newAccountIdentity(regions[all.length % regions.length] ?? "us-east-1", all));
    if (all.length !== stored.length) writeJsonAtomic(file, { accounts: all });
    return new Registry(options.dir, all.slice(0, wanted), options);
  }

  /** The write operations of one account (aws-iot §3). */
  account(accountId: string): AccountRegistry {
    const slot = this.slots.find((s) => s.identity.accountId === accountId);
    if (!slot) throw new Error(`no account ${accountId} in this twin`);
    return slot.writer;
  }

  identities(): readonly AccountIdentity[] {
    return this.slots.map((s) => s.identity);
  }

  // --- RegistryView -------------------------------------------------------------------------

  accounts(): readonly Account[] {
    return this.slots.map(({ identity: i }) => ({
      accountId: i.accountId,
      region: i.region,
      dataEndpoint: endpointAddress(i, "iot:Data-ATS"),
    }));
  }

  accountByEndpoint(host: string): Account | undefined {
    const wanted = host.toLowerCase().replace(/\.$/, "");
    return this.accounts().find((a) => a.dataEndpoint === wanted);
  }

  accessKey(accessKeyId: string): AccessKey | undefined {
    const identity = this.slots.find((s) => s.identity.accessKeyId === accessKeyId)?.identity;
    return (
      identity && { accountId: identity.accountId, accessKeyId, secretAccessKey: identity.secretAccessKey }
    );
  }

  certificate(accountId: string, certificateId: string): CertificateRecord | undefined {
    return this.data(accountId)?.certificates.get(certificateId);
  }

  policiesOf(accountId: string, principalArn: string): readonly PolicyRecord[] {
    const data = this.data(accountId);
    return data ? data.policyNamesOf(principalArn).flatMap((name) => data.policies.get(name) ?? []) : [];
  }

  thingsOf(accountId: string, principalArn: string): readonly ThingRecord[] {
    const data = this.data(accountId);
    return data ? data.thingNamesOf(principalArn).flatMap((name) => data.things.get(name) ?? []) : [];
  }

  subscribe(listener: (change: RegistryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- persistence --------------------------------------------------------------------------

  /** Writes every changed account now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const started = performance.now();
    for (const accountId of [...this.dirty]) {
      const data = this.data(accountId);
      if (data) writeJsonAtomic(this.accountFile(accountId), data);
      this.dirty.delete(accountId);
    }
    this.lastFlushMs = performance.now() - started;
  }

  /** Flushes and reports a write that failed in the background. */
  close(): void {
    this.flush();
    this.listeners.clear();
    if (this.flushError !== undefined) throw this.flushError;
  }

  private data(accountId: string): AccountData | undefined {
    return this.slots.find((s) => s.identity.accountId === accountId)?.data;
  }

  private accountFile(accountId: string): string {
    return join(this.dir, `registry-${accountId}.json`);
  }

  private changed(accountId: string, change: RegistryChange | undefined): void {
    this.dirty.add(accountId);
    // A big registry takes long to write: wait 4× as long between writes, so they stay under ~20% of the time.
    const delay = Math.max(this.flushDelayMs, 4 * this.lastFlushMs);
    this.timer ??= setTimeout(() => {
      try {
        this.flush();
      } catch (e) {
        this.flushError = e;
      }
    }, delay);
    if (!change) return;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A failing listener (the data plane) must not undo or fail the control-plane write.
      }
    }
  }
}
