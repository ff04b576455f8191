// One running simulation per state directory: two would fight over the same boards and PTY paths.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export class StateDirInUseError extends Error {
  readonly code = "STATE_DIR_IN_USE";
  readonly fault = "user";
}

/** A live process that could be a mar-hil: PIDs get reused, e.g. by an unrelated process in a container. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /node|mar-hil|vitest|tsx/.test(cmdline);
  } catch {
    return true; // no /proc: trust the PID
  }
}

/** Takes the directory's lock, taking over one whose holder is gone. Returns the release function. */
export function lockStateDir(dir: string, what: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${what}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number(readFileSync(file, "utf8"));
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new StateDirInUseError(
          `state directory ${dir} is in use by another mar-hil ${what} (pid ${holder}); stop it or pass another --state`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new StateDirInUseError(`could not lock ${file}`);
}
