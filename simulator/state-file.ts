// JSON state files of the twins: a damaged one is the user's to fix (delete it or use another --state),
// never a stack trace.
import type { AtomicFile } from "./stsafe/atomic-file.ts";

export class StateCorruptError extends Error {
  readonly code = "STATE_CORRUPT";
  readonly fault = "user";
}

/** The parsed file, undefined when absent; throws StateCorruptError when it cannot be used. */
export function readJsonState<T>(file: AtomicFile, parse: (json: unknown) => T): T | undefined {
  const bytes = file.read();
  if (!bytes) return undefined;
  try {
    return parse(JSON.parse(bytes.toString("utf8")));
  } catch (e) {
    throw new StateCorruptError(
      `state file ${file.path} is damaged (${(e as Error).message}); delete it or pass another --state`,
    );
  }
}
