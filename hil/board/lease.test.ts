// Leases between real processes: contention, release, a dead holder's lock, an expired lease, renewal.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "../../test/support/wait-until.ts";
import { BoardBusyError } from "./errors.ts";
import { Lease, type LeaseRecord } from "./lease.ts";

const HOLDER = new URL("./fixtures/hold-lease.ts", import.meta.url).pathname;
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mar-hil-lease-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function holder(dir: string, waitMs: number, hold: number | "stdin", log: string) {
  const child = spawn(process.execPath, [
    "--import",
    "tsx",
    HOLDER,
    dir,
    "slot-1",
    String(waitMs),
    String(hold),
    log,
  ]);
  cleanup.push(() => child.kill("SIGKILL"));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = async (): Promise<string> => String((await lines.next()).value);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child: child as ChildProcessWithoutNullStreams, first, exited };
}

const record = (dir: string): LeaseRecord =>
  JSON.parse(readFileSync(join(dir, "slot-1.lock"), "utf8")) as LeaseRecord;

describe("Lease", () => {
  it("refuses a board another process holds, naming the holder, and gets it once released", async () => {
    const dir = tempDir();
    const a = holder(dir, 0, "stdin", join(dir, "log"));
    expect(await a.first()).toMatch(/^held /);
    const busy = Lease.acquire("slot-1", { dir });
    await expect(busy).rejects.toThrow(BoardBusyError);
    await expect(busy).rejects.toThrow(`leased by child ${a.child.pid} (pid ${a.child.pid} on `);
    a.child.stdin.end();
    expect(await a.exited).toBe(0);
    expect(existsSync(join(dir, "slot-1.lock"))).toBe(false);
    await using lease = await Lease.acquire("slot-1", { dir });
    expect(record(dir).pid).toBe(process.pid);
    expect(lease.lost).toBeUndefined();
  });

  it("four processes racing for one board hold it one after another, never together", async () => {
    const dir = tempDir();
    const log = join(dir, "log");
    writeFileSync(log, "");
    const racers = [1, 2, 3, 4].map(() => holder(dir, 30_000, 200, log));
    expect(await Promise.all(racers.map((r) => r.exited))).toEqual([0, 0, 0, 0]);
    const events = readFileSync(log, "utf8").trim().split("\n");
    expect(events).toHaveLength(8);
    for (let i = 0; i < events.length; i += 2) {
      const [enter, exit] = [events[i], events[i + 1]];
      expect(enter).toMatch(/^enter \d+$/);
      expect(exit).toBe(enter?.replace("enter", "exit"));
    }
  });

  it("takes over the lock of a holder that was killed (a cancelled CI job)", async () => {
    const dir = tempDir();
    const a = holder(dir, 0, "stdin", join(dir, "log"));
    expect(await a.first()).toMatch(/^held /);
    a.child.kill("SIGKILL");
    await a.exited;
    expect(record(dir).pid).toBe(a.child.pid);
    await using lease = await Lease.acquire("slot-1", { dir });
    expect(record(dir).token).toBe(lease.holder.token);
  });

  it("takes over an expired lease of another host, and respects a current one", async () => {
    const dir = tempDir();
    const other = {
      board: "slot-1",
      owner: "ci on rack-b",
      pid: 4242,
      host: "rack-b",
      token: "t-1",
      acquiredAt: "2026-01-01T00:00:00Z",
    };
    writeFileSync(
      join(dir, "slot-1.lock"),
      JSON.stringify({ ...other, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    await expect(Lease.acquire("slot-1", { dir })).rejects.toThrow(
      "leased by ci on rack-b (pid 4242 on rack-b)",
    );
    writeFileSync(
      join(dir, "slot-1.lock"),
      JSON.stringify({ ...other, expiresAt: new Date(Date.now() - 1).toISOString() }),
    );
    await using lease = await Lease.acquire("slot-1", { dir });
    expect(record(dir).token).toBe(lease.holder.token);
  });

  it("renews while held, and notices when its lock was taken over", async () => {
    const dir = tempDir();
    const lease = await Lease.acquire("slot-1", { dir, ttlMs: 300 });
    cleanup.push(() => lease.release());
    const first = record(dir).expiresAt;
    await waitUntil("a renewal", () => record(dir).expiresAt !== first);
    expect(record(dir).token).toBe(lease.holder.token);
    writeFileSync(
      join(dir, "slot-1.lock"),
      JSON.stringify({ ...record(dir), token: "someone-else", owner: "intruder" }),
    );
    await waitUntil("the loss to be noticed", () => lease.lost);
    expect(lease.lost).toContain("taken over by intruder");
    expect(() => lease.assertHeld()).toThrow("taken over by intruder");
    lease.release();
    expect(record(dir).token).toBe("someone-else");
  });

  it("await using releases on scope exit, even when the scope throws", async () => {
    const dir = tempDir();
    await expect(
      (async () => {
        await using lease = await Lease.acquire("slot-1", { dir });
        expect(record(dir).token).toBe(lease.holder.token);
        throw new Error("step failed");
      })(),
    ).rejects.toThrow("step failed");
    expect(existsSync(join(dir, "slot-1.lock"))).toBe(false);
  });
});
