// Reads and validates a scenario file; a bad file gets one line naming the step and the field.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "yaml";
import { parseDuration } from "./duration.ts";
import { BREAKAGES, type Breakage, type Scenario, type Step } from "./scenario.ts";

export class ScenarioError extends Error {
  readonly code = "SCENARIO_INVALID";
  readonly fault = "user";
}

type Fields = Record<string, unknown>;

const STEP_FIELDS: Record<Step["kind"], readonly string[]> = {
  flash: ["profile", "bin"],
  configure: ["rootCa", "account", "endpoint", "port", "wifiSsid", "wifiCredential"],
  register: ["account", "policy"],
  reset: [],
  "power-cycle": [],
  "expect-serial": ["pattern", "within", "absent"],
  "expect-connected": ["account", "within"],
  "expect-mqtt": ["account", "topic", "count", "within", "payload"],
  "expect-steady": ["account", "for"],
  "move-account": ["to"],
  break: ["what"],
  fix: ["what"],
  cleanup: [],
};

export function loadScenario(file: string): Scenario {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new ScenarioError(`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  return validateScenario(doc, file);
}

export function validateScenario(doc: unknown, file: string): Scenario {
  const where = basename(file);
  const fail = (msg: string): never => {
    throw new ScenarioError(`${where}: ${msg}`);
  };
  if (!isObject(doc)) return fail("expected a mapping with name, steps");
  const name = doc.name;
  if (typeof name !== "string" || !/^[a-z0-9-]+$/.test(name))
    fail("field 'name' must be lower-case words joined by '-'");
  const timeoutMs = doc.timeout === undefined ? 180_000 : parseDuration(doc.timeout);
  if (timeoutMs === undefined) fail("field 'timeout' must be a duration like 90s or 2m");
  if (!Array.isArray(doc.steps) || doc.steps.length === 0) fail("field 'steps' must be a non-empty list");
  const steps = (doc.steps as unknown[]).map((raw, i) => validateStep(raw, `step ${i + 1}`, fail));
  return {
    name: name as string,
    description: typeof doc.description === "string" ? doc.description : "",
    negative: doc.negative === true,
    timeoutMs: timeoutMs as number,
    steps,
    file,
  };
}

function validateStep(raw: unknown, at: string, fail: (m: string) => never): Step {
  if (typeof raw === "string") raw = { [raw]: {} };
  if (!isObject(raw) || Object.keys(raw).length !== 1)
    return fail(`${at}: expected one step name, e.g. '- reset'`);
  const [kind, value] = Object.entries(raw)[0] as [string, unknown];
  if (!(kind in STEP_FIELDS))
    return fail(`${at}: unknown step '${kind}' (known: ${Object.keys(STEP_FIELDS).join(", ")})`);
  const f: Fields =
    value === null || value === undefined
      ? {}
      : isObject(value)
        ? value
        : fail(`${at} (${kind}): expected a mapping`);
  for (const key of Object.keys(f)) {
    if (!STEP_FIELDS[kind as Step["kind"]].includes(key)) fail(`${at} (${kind}): unknown field '${key}'`);
  }
  const p = `${at} (${kind})`;
  const str = (k: string, required = false): string | undefined =>
    f[k] === undefined
      ? required
        ? fail(`${p}: field '${k}' is required`)
        : undefined
      : typeof f[k] === "string"
        ? (f[k] as string)
        : fail(`${p}: field '${k}' must be text`);
  const int = (k: string, fallback?: number): number => {
    const v = f[k] ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
      return fail(`${p}: field '${k}' must be a whole number >= 0`);
    return v;
  };
  const dur = (k: string, fallback?: string): number =>
    parseDuration(f[k] ?? fallback) ?? fail(`${p}: field '${k}' must be a duration like 30s`);
  const regex = (k: string, text: string | undefined): RegExp | undefined => {
    if (text === undefined) return undefined;
    try {
      return new RegExp(text);
    } catch {
      return fail(`${p}: field '${k}' is not a valid regular expression`);
    }
  };
  const breakage = (): Breakage => {
    const w = str("what", true) as Breakage;
    return BREAKAGES.includes(w) ? w : fail(`${p}: field 'what' must be one of ${BREAKAGES.join(", ")}`);
  };
  switch (kind as Step["kind"]) {
    case "flash":
      return { kind: "flash", profile: str("profile"), bin: str("bin") };
    case "configure":
      return {
        kind: "configure",
        rootCa: str("rootCa"),
        account: f.account === undefined ? undefined : int("account"),
        endpoint: str("endpoint"),
        port: f.port === undefined ? undefined : int("port"),
        wifiSsid: str("wifiSsid"),
        wifiCredential: str("wifiCredential"),
      };
    case "register":
      return { kind: "register", account: int("account", 0), policy: str("policy") };
    case "reset":
      return { kind: "reset" };
    case "power-cycle":
      return { kind: "power-cycle" };
    case "expect-serial": {
      const absent =
        f.absent === undefined
          ? []
          : Array.isArray(f.absent)
            ? f.absent
            : fail(`${p}: field 'absent' must be a list`);
      return {
        kind: "expect-serial",
        pattern: regex("pattern", str("pattern", true)) as RegExp,
        withinMs: dur("within", "60s"),
        absent: absent.map((a) =>
          typeof a === "string"
            ? (regex("absent", a) as RegExp)
            : fail(`${p}: field 'absent' must list text`),
        ),
      };
    }
    case "expect-connected":
      return { kind: "expect-connected", account: int("account", 0), withinMs: dur("within", "60s") };
    case "expect-mqtt":
      return {
        kind: "expect-mqtt",
        account: int("account", 0),
        topic: str("topic", true) as string,
        count: int("count", 1),
        withinMs: dur("within", "60s"),
        payload: regex("payload", str("payload")),
      };
    case "expect-steady":
      return { kind: "expect-steady", account: int("account", 0), forMs: dur("for", "10s") };
    case "move-account":
      return { kind: "move-account", to: int("to") };
    case "break":
      return { kind: "break", what: breakage() };
    case "fix":
      return { kind: "fix", what: breakage() };
    case "cleanup":
      return { kind: "cleanup" };
  }
}

function isObject(v: unknown): v is Fields {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
