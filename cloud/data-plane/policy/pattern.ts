// IoT policy strings: IAM wildcards `*` and `?`, policy variables `${…}` (aws-iot §4.4).
// MQTT `+` and `#` are ordinary characters here: `topicfilter/a/+` matches only the filter `a/+`.

/** Values of the policy variables known for one request; an absent key is an unresolved variable. */
export type PolicyVariables = ReadonlyMap<string, string>;

// IAM's escapes for characters that would otherwise be wildcards or start a variable.
const SPECIAL: Record<string, string> = { "*": "*", "?": "?", $: "$" };

type Token = { literal: string } | { wildcard: "*" | "?" };

/** Splits a policy string into literals and wildcards, substituting variables; undefined when one is unresolved. */
function tokenize(text: string, variables: PolicyVariables): Token[] | undefined {
  const tokens: Token[] = [];
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
      tokens.push({ literal: value });
      i = end + 1;
    } else if (c === "*" || c === "?") {
      tokens.push({ wildcard: c });
      i++;
    } else {
      tokens.push({ literal: c });
      i++;
    }
  }
  return tokens;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function compile(tokens: readonly Token[], flags: string): RegExp {
  const body = tokens
    .map((t) => ("literal" in t ? escapeRegExp(t.literal) : t.wildcard === "*" ? "[\\s\\S]*" : "[\\s\\S]"))
    .join("");
  return new RegExp(`^${body}$`, flags);
}

/** `value` matches the policy pattern (wildcards allowed); false when a variable is unresolved. */
export function matchesPattern(pattern: string, value: string, variables: PolicyVariables): boolean {
  const tokens = tokenize(pattern, variables);
  return tokens !== undefined && compile(tokens, "").test(value);
}

/** Action names are case-insensitive and take wildcards but no variables (`iot:*`, `iot:Pub*`). */
export function matchesAction(pattern: string, action: string): boolean {
  return compile(tokenize(pattern, new Map()) ?? [], "i").test(action);
}

/** A condition value with its variables substituted; undefined when one is unresolved. */
export function substitute(text: string, variables: PolicyVariables): string | undefined {
  const tokens = tokenize(text, variables);
  return tokens?.map((t) => ("literal" in t ? t.literal : t.wildcard)).join("");
}
