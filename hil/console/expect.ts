// The expect API for scenarios: wait for a line matching a pattern, failing early when a
// must-not-appear pattern shows up, within a deadline and an AbortSignal (style.md rule 7).
import { waitFor, type WaitOptions } from "./deadline.ts";
import { ForbiddenOutputError } from "./errors.ts";
import type { LineHistory, SeenLine } from "./line-history.ts";
import { describePattern, matchLine, type Pattern } from "./pattern.ts";

export interface ExpectOptions extends WaitOptions {
  /** Patterns that fail the wait at once (EXPECT_FORBIDDEN) if a line matches them first. */
  forbid?: readonly Pattern[];
  /** Which lines count: log lines, command output, or both (default). Echoed input never counts. */
  channel?: "all" | "logs" | "output";
  /** A `mark()` taken earlier: lines seen since then count too. Default: only lines from now on. */
  since?: number;
}

export interface ExpectResult {
  line: SeenLine;
  /** The regex match, when the matching pattern is a RegExp. */
  groups: RegExpExecArray | undefined;
  /** For `anyOf`: which alternative matched. */
  alternative: number;
  elapsedMs: number;
}

export function expectLine(
  history: LineHistory,
  pattern: Pattern,
  options: ExpectOptions = {},
): Promise<ExpectResult> {
  const started = performance.now();
  const describe = describePattern(pattern);
  const channel = options.channel ?? "all";
  const counts = (line: SeenLine): boolean =>
    line.kind !== "input" && (channel === "all" || (channel === "logs") === (line.kind === "log"));
  return waitFor<ExpectResult>(
    {
      describe,
      lastLines: () => history.last(),
      start: (resolve, reject) => {
        let done = false;
        const consider = (line: SeenLine): void => {
          if (done || !counts(line)) return;
          for (const forbidden of options.forbid ?? []) {
            if (matchLine(forbidden, line.text)) {
              done = true;
              return reject(new ForbiddenOutputError(describePattern(forbidden), line.text, describe));
            }
          }
          const m = matchLine(pattern, line.text);
          if (!m) return;
          done = true;
          resolve({
            line,
            groups: m.groups,
            alternative: m.alternative,
            elapsedMs: performance.now() - started,
          });
        };
        if (options.since !== undefined) for (const line of history.since(options.since)) consider(line);
        return history.subscribe(consider);
      },
    },
    options,
  );
}
