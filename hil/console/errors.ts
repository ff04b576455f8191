// Console errors: stable codes and a fault (style.md rule 6); only the CLI turns them into exit codes.

export type Fault = "device" | "harness" | "cloud" | "user";

export abstract class ConsoleError extends Error {
  abstract readonly code: string;
  abstract readonly fault: Fault;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A line the harness refuses to send: it would be cut or misread by the firmware's line reader (§1.3). */
export class LineRefusedError extends ConsoleError {
  readonly code = "LINE_REFUSED";
  readonly fault = "user";
}

/** Nothing matching came in time; says what was awaited, for how long, and what was seen instead. */
export class ExpectTimeoutError extends ConsoleError {
  readonly code = "EXPECT_TIMEOUT";
  readonly fault = "device";
  constructor(
    readonly pattern: string,
    readonly elapsedMs: number,
    readonly lastLines: readonly string[],
  ) {
    super(
      `no ${pattern} after ${Math.round(elapsedMs)} ms; last lines seen:\n` +
        (lastLines.length > 0 ? lastLines.map((l) => `  ${JSON.stringify(l)}`).join("\n") : "  (none)"),
    );
  }
}

/** The caller's AbortSignal fired before the wait ended. */
export class ExpectAbortedError extends ConsoleError {
  readonly code = "EXPECT_ABORTED";
  readonly fault = "user";
  constructor(
    readonly pattern: string,
    readonly elapsedMs: number,
    readonly reason: unknown,
  ) {
    super(`wait for ${pattern} aborted after ${Math.round(elapsedMs)} ms: ${String(reason)}`);
  }
}

/** A must-not-appear pattern showed up while waiting. */
export class ForbiddenOutputError extends ConsoleError {
  readonly code = "EXPECT_FORBIDDEN";
  readonly fault = "device";
  constructor(
    readonly pattern: string,
    readonly line: string,
    readonly awaited: string,
  ) {
    super(`${pattern} appeared while waiting for ${awaited}: ${JSON.stringify(line)}`);
  }
}

/** The board echoed something other than the line sent (bytes lost or altered on the wire). */
export class EchoMismatchError extends ConsoleError {
  readonly code = "ECHO_MISMATCH";
  readonly fault = "device";
  constructor(
    readonly sent: string,
    readonly echoed: string,
  ) {
    super(`sent ${JSON.stringify(sent)} but the board echoed ${JSON.stringify(echoed)}`);
  }
}

/** The firmware reported dropped input (§1.1 `Console receive buffer full`): the harness outran it. */
export class RxOverflowError extends ConsoleError {
  readonly code = "CONSOLE_RX_OVERFLOW";
  readonly fault = "harness";
}

/** The port went away while a command was in flight, or a write found it closed. */
export class SerialDisconnectedError extends ConsoleError {
  readonly code = "SERIAL_DISCONNECTED";
  readonly fault = "harness";
}

/** The port did not come back within the bounded wait after vanishing (USB re-enumeration, reset). */
export class PortNotBackError extends ConsoleError {
  readonly code = "SERIAL_NOT_BACK";
  readonly fault = "device";
  constructor(
    readonly target: string,
    readonly waitedMs: number,
    readonly attempts: number,
    readonly lastError: string | undefined,
  ) {
    super(
      `${target} did not come back within ${Math.round(waitedMs)} ms (${attempts} attempts)` +
        (lastError ? `; last error: ${lastError}` : ""),
    );
  }
}

/** No port with the given USB serial number is connected. */
export class PortNotFoundError extends ConsoleError {
  readonly code = "SERIAL_PORT_NOT_FOUND";
  readonly fault = "harness";
}
