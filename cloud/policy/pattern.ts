// IoT policy strings: IAM wildcards `*` and `?`, policy variables `${…}` (aws-iot §4.4).
// MQTT `+` and `#` are ordinary characters here: `topicfilter/a/+` matches only the filter `a/+`.

/** Values of the policy variables known for one request; undefined is an unresolved variable. */
export interface PolicyVariables {
  get(name: string): string | undefined;
}

// IAM's escapes for characters that would otherwise be wildcards or start a variable.
const SPECIAL: Record<string, string> = { "*": "*", "?": "?", $: "$" };

/** Literal text and wildcards; a variable's value is always literal, so `*` in a client id is no wildcard. */
type Part = string | { wildcard: "*" | "?" };

/** Splits a policy string into parts, substituting variables; undefined when one is unresolved. */
function parts(text: string, variables: PolicyVariables): Part[] | undefined {
  const out: Part[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "$" && text[i + 1] === "{") {
      const end = text.indexOf("}", i + 2);
      if (end < 0) return undefined;
      const name = text.slice(i + 2, end);
      const value = SPECIAL[name] ?? variables.get(name);
      // aws-iot §4.4: an unresolved variable makes the statement not apply.
      if (value === undefined) return undefined;
      literal += value;
      i = end + 1;
    } else if (c === "*" || c === "?") {
      if (literal) out.push(literal);
      literal = "";
      out.push({ wildcard: c });
      i++;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal) out.push(literal);
  return out;
}

/** Glob match with backtracking to the last `*` only: linear in practice, no RegExp to compile. */
function globMatch(pattern: readonly Part[], value: string, fold: (s: string) => string): boolean {
  const v = fold(value);
  let p = 0;
  let i = 0;
  let starPart = -1;
  let starValue = 0;
  while (i < v.length || p < pattern.length) {
    const part = pattern[p];
    if (part !== undefined) {
      if (typeof part === "string") {
        const text = fold(part);
        if (v.startsWith(text, i)) {
          p++;
          i += text.length;
          continue;
        }
      } else if (part.wildcard === "*") {
        starPart = p++;
        starValue = i;
        continue;
      } else if (i < v.length) {
        p++;
        i++;
        continue;
      }
    }
    // Mismatch: let the last `*` swallow one more character, or fail.
    if (starPart < 0 || starValue >= v.length) return false;
    p = starPart + 1;
    i = ++starValue;
  }
  return true;
}

const same = (s: string): string => s;
const lower = (s: string): string => s.toLowerCase();

/** `value` matches the policy pattern (wildcards allowed); false when a variable is unresolved. */
export function matchesPattern(pattern: string, value: string, variables: PolicyVariables): boolean {
  const compiled = parts(pattern, variables);
  return compiled !== undefined && globMatch(compiled, value, same);
}

const NO_VARIABLES: PolicyVariables = { get: () => undefined };

/** Action names are case-insensitive and take wildcards but no variables (`iot:*`, `iot:Pub*`). */
export function matchesAction(pattern: string, action: string): boolean {
  return globMatch(parts(pattern, NO_VARIABLES) ?? [], action, lower);
}

/** A condition value with its variables substituted; undefined when one is unresolved. */
export function substitute(text: string, variables: PolicyVariables): string | undefined {
  return parts(text, variables)
    ?.map((p) => (typeof p === "string" ? p : p.wildcard))
    .join("");
}
