// What the firmware's line reader can take (§1.3): refused before sending, so nothing is half-executed.
import { LineRefusedError } from "./errors.ts";

/** The 128-byte buffer: the 128th character without a terminator silently discards the line (§1.3). */
export const LINE_MAX_CHARS = 127;
/** The firmware's receive stream (§1.1); the console never has more than one line in flight. */
export const RX_BUFFER_BYTES = 512;

export function checkLine(line: string, what = "command"): void {
  const shown = JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}…` : line);
  if (line.length === 0) {
    throw new LineRefusedError(
      `empty ${what}: the firmware ignores an empty line and would never answer (§1.3)`,
    );
  }
  if (/[\r\n\0]/.test(line)) {
    throw new LineRefusedError(
      `${what} ${shown} contains CR, LF or NUL: the firmware would end the line there (§1.3)`,
    );
  }
  if (/[\x03\x08\x7f]/.test(line)) {
    throw new LineRefusedError(
      `${what} ${shown} contains Ctrl-C or backspace, which the firmware treats as editing (§1.3)`,
    );
  }
  if (/[^\x00-\xff]/.test(line)) {
    throw new LineRefusedError(
      `${what} ${shown} has characters outside latin1; the console is a byte stream`,
    );
  }
  if (line.length > LINE_MAX_CHARS) {
    throw new LineRefusedError(
      `${what} ${shown} is ${line.length} characters; the firmware silently discards lines of 128 or more (§1.3)`,
    );
  }
}
