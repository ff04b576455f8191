// Is a lock's holder gone? Only decidable on the same host: a dead pid, or a pid now used by a process
// that is not node (PIDs are reused, e.g. in containers). Other hosts' locks end by expiry only.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export function holderGone(holder: { host: string; pid: number }): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return true;
  }
  try {
    return !/node|mar-hil|tsx|vitest/.test(readFileSync(`/proc/${holder.pid}/cmdline`, "utf8"));
  } catch {
    return false; // no /proc: the pid exists, trust it
  }
}
