// A board is used by one run at a time: a lock file per board holding owner, pid, host and expiry,
// renewed while in use and released on dispose or exit. A lock whose holder is gone (same host, dead
// pid) or whose lease expired is taken over, so a cancelled CI job never leaves a board locked.
import { randomUUID } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { BoardBusyError, LeaseLostError } from "./errors.ts";
import { holderGone } from "./process-alive.ts";

export interface LeaseRecord {
  board: string;
  owner: string;
  pid: number;
  host: string;
  token: string;
  acquiredAt: string;
  expiresAt: string;
}

export interface LeaseOptions {
  /** Host-wide directory of lock files. */
  dir: string;
  /** Who holds it, for the busy message (e.g. "ci job 1234"). Default: user@host pid. */
  owner?: string;
  /** Lease length; renewed every third of it. Default 60 s. */
  ttlMs?: number;
  /** How long to wait for a busy board; 0 fails at once (default). */
  waitMs?: number;
  signal?: AbortSignal;
}

const held = new Set<Lease>();
let exitHookInstalled = false;

export class Lease implements AsyncDisposable {
  private timer: NodeJS.Timeout | undefined;
  private lostReason: string | undefined;

  private constructor(
    readonly file: string,
    private record: LeaseRecord,
    private readonly ttlMs: number,
  ) {}

  static async acquire(board: string, o: LeaseOptions): Promise<Lease> {
    mkdirSync(o.dir, { recursive: true });
    const file = join(o.dir, `${board}.lock`);
    const ttlMs = o.ttlMs ?? 60_000;
    const started = performance.now();
    for (;;) {
      const record = newRecord(board, o.owner, ttlMs);
      if (create(file, record)) return new Lease(file, record, ttlMs).start();
      const current = readRecord(file);
      if (current === undefined || holderGone(current) || Date.parse(current.expiresAt) < Date.now()) {
        takeOver(file, current);
        continue;
      }
      if (o.signal?.aborted || performance.now() - started >= (o.waitMs ?? 0)) {
        throw new BoardBusyError(
          `board ${board} is leased by ${current.owner} (pid ${current.pid} on ${current.host}) until ${current.expiresAt}`,
        );
      }
      // Lock files have no change notification across processes; look again shortly, bounded by waitMs.
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get holder(): Readonly<LeaseRecord> {
    return this.record;
  }

  /** Set once the lease was taken over or its file vanished. */
  get lost(): string | undefined {
    return this.lostReason;
  }

  /** Throws LEASE_LOST if another run may be using the board now. */
  assertHeld(): void {
    if (this.lostReason !== undefined) throw new LeaseLostError(this.lostReason);
  }

  /** Extends the lease by its length from now, if still ours. */
  renew(): void {
    if (this.lostReason !== undefined) return;
    const current = readRecord(this.file);
    if (current?.token !== this.record.token) {
      this.lose(
        `lease on ${this.record.board} was ${current ? `taken over by ${current.owner}` : "removed"}`,
      );
      return;
    }
    const renewed = { ...this.record, expiresAt: new Date(Date.now() + this.ttlMs).toISOString() };
    const tmp = `${this.file}.${this.record.token}.renew`;
    writeFileSync(tmp, JSON.stringify(renewed));
    renameSync(tmp, this.file);
    this.record = renewed;
  }

  /** Removes the lock if it is still ours (never another run's). */
  release(): void {
    clearInterval(this.timer);
    held.delete(this);
    if (this.lostReason !== undefined) return;
    this.lostReason = "released";
    if (readRecord(this.file)?.token === this.record.token) rmSync(this.file, { force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.release();
  }

  private start(): this {
    held.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // Normal exits and uncaught errors release; a killed process is covered by the dead-pid takeover.
      process.once("exit", () => {
        for (const lease of held) lease.release();
      });
    }
    this.timer = setInterval(() => {
      try {
        this.renew();
      } catch (e) {
        this.lose(`lease on ${this.record.board} could not be renewed: ${(e as Error).message}`);
      }
    }, this.ttlMs / 3);
    this.timer.unref();
    return this;
  }

  private lose(reason: string): void {
    this.lostReason = reason;
    clearInterval(this.timer);
    held.delete(this);
  }
}

function newRecord(board: string, owner: string | undefined, ttlMs: number): LeaseRecord {
  const now = Date.now();
  return {
    board,
    owner: owner ?? `${process.env.USER ?? "user"}@${hostname()} pid ${process.pid}`,
    pid: process.pid,
    host: hostname(),
    token: randomUUID(),
    acquiredAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
  };
}

/** Written in full under a private name, then linked: the lock never exists half-written. */
function create(file: string, record: LeaseRecord): boolean {
  const tmp = `${file}.${record.token}.new`;
  writeFileSync(tmp, JSON.stringify(record));
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return false;
  } finally {
    unlinkSync(tmp);
  }
}

function readRecord(file: string): LeaseRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as Partial<LeaseRecord>;
    const valid =
      typeof r.token === "string" &&
      typeof r.pid === "number" &&
      typeof r.host === "string" &&
      typeof r.owner === "string" &&
      typeof r.expiresAt === "string";
    return valid ? (r as LeaseRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes a stale lock so the next create can win. Renaming first means only one taker removes it; if
 * what was renamed is not the stale lock judged (a fresh one replaced it meanwhile), it is put back.
 */
function takeOver(file: string, stale: LeaseRecord | undefined): void {
  const aside = `${file}.${randomUUID()}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return; // gone already: someone else took it over or released it
  }
  const moved = readRecord(aside);
  if (stale !== undefined && moved?.token !== stale.token) {
    try {
      linkSync(aside, file);
    } catch {
      // A third run created a lock meanwhile; the one moved aside learns it lost at its next renewal.
    }
  }
  rmSync(aside, { force: true });
}
