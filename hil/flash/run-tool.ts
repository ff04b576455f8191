// Runs an external tool (a flasher, a power hook) with a deadline and an AbortSignal, keeping the tail
// of its output for the error message. A tool that is not installed is a one-line ToolMissingError.
import { spawn } from "node:child_process";
import { FlashAbortedError, FlashTimeoutError, ToolMissingError } from "./errors.ts";

export interface ToolRun {
  argv: readonly string[];
  /** What to install when argv[0] is not found, e.g. "apt-get install -y openocd". */
  installHint: string;
  timeoutMs: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface ToolResult {
  exitCode: number;
  /** stdout and stderr interleaved, at most the last 16 KB. */
  output: string;
  elapsedMs: number;
}

const KEEP_BYTES = 16 * 1024;

export function runTool(run: ToolRun): Promise<ToolResult> {
  const [command, ...args] = run.argv;
  if (command === undefined) return Promise.reject(new TypeError("empty command line"));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    if (run.signal?.aborted) return reject(new FlashAbortedError(`${command} not started: aborted`));
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: run.env ?? process.env });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-KEEP_BYTES);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let failure: Error | undefined;
    const stop = (error: Error): void => {
      failure ??= error;
      child.kill("SIGTERM");
    };
    const timer = setTimeout(
      () => stop(new FlashTimeoutError(`${command} did not finish within ${run.timeoutMs} ms`)),
      run.timeoutMs,
    );
    const onAbort = (): void =>
      stop(new FlashAbortedError(`${command} aborted: ${String(run.signal?.reason)}`));
    run.signal?.addEventListener("abort", onAbort, { once: true });
    const finish = (): void => {
      clearTimeout(timer);
      run.signal?.removeEventListener("abort", onAbort);
    };
    child.once("error", (e: NodeJS.ErrnoException) => {
      finish();
      if (e.code === "ENOENT") reject(new ToolMissingError(`${command} not found; ${run.installHint}`));
      else reject(e);
    });
    child.once("close", (code, signal) => {
      finish();
      if (failure) return reject(failure);
      resolve({ exitCode: code ?? (signal ? 128 : 1), output, elapsedMs: performance.now() - started });
    });
  });
}

/** The last line of a tool's output that looks like an error, else its last non-empty line. */
export function errorLine(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  // Tools print a summary ("** Programming Failed **") after the line that says why.
  const error = lines.filter((l) => /\berror\b/i.test(l)).at(-1);
  const failure = lines.filter((l) => /fail|cannot|unable|not found/i.test(l)).at(-1);
  return error ?? failure ?? lines.at(-1) ?? "(no output)";
}
