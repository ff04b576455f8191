// File-system trouble with --state is the user's to fix: one line, exit code 2.
import { UsageError } from "./usage-error.ts";

const USER_FIXABLE = new Set(["EACCES", "EPERM", "ENOTDIR", "EEXIST", "EROFS", "ENOSPC", "EISDIR", "ENOENT"]);

export async function withStateDir<T>(dir: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && USER_FIXABLE.has(code)) {
      throw new UsageError(`cannot use state directory ${dir}: ${(e as Error).message}`);
    }
    throw e;
  }
}
