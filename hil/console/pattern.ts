// What a scenario waits for on the console: a regex, a substring, an exact line, or any of several.

export type Pattern = RegExp | string | { exact: string } | { anyOf: readonly Pattern[] };

export interface PatternMatch {
  /** The regex match when the pattern (or the alternative that matched) is a RegExp. */
  groups: RegExpExecArray | undefined;
  /** Index of the alternative that matched, for `anyOf`; 0 otherwise. */
  alternative: number;
}

export function matchLine(pattern: Pattern, line: string): PatternMatch | undefined {
  if (pattern instanceof RegExp) {
    // A fresh copy: a global or sticky regex keeps state between calls otherwise.
    const m = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, "")).exec(line);
    return m ? { groups: m, alternative: 0 } : undefined;
  }
  if (typeof pattern === "string")
    return line.includes(pattern) ? { groups: undefined, alternative: 0 } : undefined;
  if ("exact" in pattern) return line === pattern.exact ? { groups: undefined, alternative: 0 } : undefined;
  for (const [i, alternative] of pattern.anyOf.entries()) {
    const m = matchLine(alternative, line);
    if (m) return { groups: m.groups, alternative: i };
  }
  return undefined;
}

export function describePattern(pattern: Pattern): string {
  if (pattern instanceof RegExp) return String(pattern);
  if (typeof pattern === "string") return `text ${JSON.stringify(pattern)}`;
  if ("exact" in pattern) return `line ${JSON.stringify(pattern.exact)}`;
  return `any of [${pattern.anyOf.map(describePattern).join(", ")}]`;
}
