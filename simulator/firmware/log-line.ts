// firmware-shell §5: `<LLL> TTTTTTTT [NNNNNNNNNN] message (file.c:line)`.

export type LogLevel = "INF" | "WRN" | "ERR" | "DBG" | "SYS" | "ASR";

export interface LogRecord {
  level: LogLevel;
  /** Milliseconds since the scheduler started. */
  tick: number;
  task: string;
  message: string;
  /** `file.c:line` of the compilation unit. */
  source: string;
}

export const TICK_MASK = 0xffffff;

export function formatLogLine(r: LogRecord): string {
  const level = r.level.padEnd(3).slice(0, 3);
  const tick = String(r.tick & TICK_MASK).padStart(8);
  const task = r.task.padEnd(10).slice(0, 10);
  // Trailing CR, LF and NUL are stripped before the suffix is added.
  const message = r.message.replace(/[\r\n\0]+$/, "");
  return `<${level}> ${tick} [${task}] ${message} (${r.source})`;
}
