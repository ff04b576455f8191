// Errors the CLI reports as exit code 2 with one line: bad usage, configuration or environment.

export class UsageError extends Error {
  readonly code = "USAGE";
  readonly fault = "user";
}

/** Any error that carries `fault: "user" | "harness"` is the user's or the machine's to fix: exit 2. */
export function isEnvironmentError(e: unknown): e is Error & { fault: string } {
  return e instanceof Error && "fault" in e && (e.fault === "user" || e.fault === "harness");
}

/** `fault: "device" | "cloud"`: the board or the cloud did not behave: exit 1. */
export function isCheckFailure(e: unknown): e is Error & { fault: string } {
  return e instanceof Error && "fault" in e && (e.fault === "device" || e.fault === "cloud");
}
