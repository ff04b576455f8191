// firmware-shell §5: `<LLL> TTTTTTTT [NNNNNNNNNN] message (file.c:line)` — what the console's log channel carries.

export interface LogLine {
  level: string;
  /** Milliseconds since the scheduler started, masked to 24 bits by the firmware. */
  tick: number;
  /** The task name as printed (at most 10 characters, padding removed). */
  task: string;
  message: string;
  /** `file.c:line`, when the line has the suffix. */
  source: string | undefined;
  /** The whole line as received, without its CRLF. */
  raw: string;
}

/** Where a log line starts: level (3 chars, §5 `%-3.3s`), tick (`%8lu`), task (`%-10.10s`). */
export const LOG_HEADER = /<[A-Z]{3}> [ \d]{7}\d \[[^\r\n]{10}\] /;

const LOG_LINE = /^<([A-Z]{3})> ([ \d]{7}\d) \[([^\r\n]{10})\] (.*?)(?: \(([^()\s]+:\d+)\))?$/;

export function parseLogLine(raw: string): LogLine | undefined {
  const m = LOG_LINE.exec(raw);
  if (!m) return undefined;
  return {
    level: m[1] as string,
    tick: Number((m[2] as string).trim()),
    task: (m[3] as string).trimEnd(),
    message: m[4] as string,
    source: m[5],
    raw,
  };
}
