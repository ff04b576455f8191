// Firmware regression check between two runs (issue: release check): step durations, console
// behaviour (log lines and command outputs that appeared, vanished or changed) and published topics
// with their payload shapes. Values that differ by nature (ticks, ids, thing names) are normalised.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEvents, type RunEvent } from "./events.ts";

export interface Finding {
  kind:
    | "slower"
    | "faster"
    | "log-new"
    | "log-missing"
    | "output-new"
    | "output-missing"
    | "topic-new"
    | "topic-missing"
    | "shape-changed"
    | "verdict";
  scenario: string;
  detail: string;
  /** A regression fails a release check; other findings are informative. */
  regression: boolean;
}

/** A step must be this much slower, relatively and absolutely, to count. */
const SLOWER_RATIO = 1.5;
const SLOWER_MIN_MS = 300;

export function loadRun(dir: string): RunEvent[] {
  return parseEvents(readFileSync(join(dir, "events.ndjson"), "utf8"));
}

/** Ticks, hex ids, thing names, numbers and quoted values out: what is left is the firmware's wording. */
export function normaliseLine(line: string): string {
  return line
    .replace(/^<([A-Z]{3})> +\d+ /, "<$1> ")
    .replace(/^[A-Za-z0-9+/]{16,}={0,2}$/, "{base64}")
    .replace(/eval3-[0-9A-F]+/g, "{thing}")
    .replace(/\b([0-9A-F]{2}:){5}[0-9A-F]{2}\b/g, "{mac}")
    .replace(/[a-z0-9]{14}-ats\.iot\.[a-z0-9-]+\.amazonaws\.com/g, "{endpoint}")
    .replace(/0x[0-9a-fA-F]+/g, "0x…")
    .replace(/\b\d+(\.\d+)*\b/g, "#")
    .replace(/"[^"]*"/g, '"…"')
    .trim();
}

function shapeOf(payload: string): string {
  const body = payload.replace(/\0+$/, "");
  try {
    const walk = (v: unknown): string =>
      Array.isArray(v)
        ? `[${v.length ? walk(v[0]) : ""}]`
        : v && typeof v === "object"
          ? `{${Object.keys(v)
              .sort()
              .map((k) => `${k}:${walk((v as Record<string, unknown>)[k])}`)
              .join(",")}}`
          : typeof v;
    return walk(JSON.parse(body));
  } catch {
    return "binary";
  }
}

interface ScenarioView {
  verdict: string;
  steps: Map<string, number>;
  logs: Set<string>;
  outputs: Set<string>;
  topics: Map<string, string>;
}

function view(events: readonly RunEvent[]): Map<string, ScenarioView> {
  const byScenario = new Map<string, ScenarioView>();
  const boardScenario = new Map<string, string>();
  const get = (name: string): ScenarioView => {
    let v = byScenario.get(name);
    if (!v)
      byScenario.set(
        name,
        (v = { verdict: "", steps: new Map(), logs: new Set(), outputs: new Set(), topics: new Map() }),
      );
    return v;
  };
  const serial = new Map<string, string>();
  // What happens once cleanup starts (the board losing its certificate) is not firmware behaviour.
  const cleaningUp = new Set<string>();
  for (const e of events) {
    if (e.type === "scenario-start") {
      boardScenario.set(e.board, e.scenario);
      cleaningUp.delete(e.board);
    }
    if (e.type === "step-start" && e.step === "cleanup") cleaningUp.add(e.board);
    const board = "board" in e ? e.board : undefined;
    const scenario = board === undefined ? undefined : boardScenario.get(board);
    if (!scenario) continue;
    if (
      board !== undefined &&
      cleaningUp.has(board) &&
      (e.type === "log" || e.type === "serial" || e.type === "mqtt")
    )
      continue;
    const v = get(scenario);
    if (e.type === "step-end") v.steps.set(`${e.index + 1} ${e.step}`, e.durationMs);
    else if (e.type === "log") v.logs.add(normaliseLine(e.line));
    else if (e.type === "serial" && e.direction === "rx")
      serial.set(scenario, (serial.get(scenario) ?? "") + e.text);
    else if (e.type === "mqtt")
      v.topics.set(e.topic.replace(/eval3-[0-9A-F]+/g, "{thing}"), shapeOf(e.payload));
    else if (e.type === "scenario-end") v.verdict = e.verdict;
  }
  for (const [scenario, text] of serial) {
    const v = get(scenario);
    for (const raw of text.split(/\r?\n/)) {
      // A log that followed an output without CRLF (§1.2) shares its line: keep the output only.
      const line = raw
        .replace(/^(> )?\r?\x1b\[K/, "")
        .replace(/\r/g, "")
        .replace(/(.)<[A-Z]{3}> +\d+ \[.*$/, "$1");
      if (line === "" || /^(> )?<[A-Z]{3}> /.test(line) || line.startsWith("> ")) continue;
      v.outputs.add(normaliseLine(line));
    }
  }
  return byScenario;
}

function setDiff(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x));
}

export function compareRuns(a: readonly RunEvent[], b: readonly RunEvent[]): Finding[] {
  const findings: Finding[] = [];
  const va = view(a);
  const vb = view(b);
  for (const [scenario, before] of va) {
    const after = vb.get(scenario);
    if (!after) continue;
    if (before.verdict !== after.verdict) {
      findings.push({
        kind: "verdict",
        scenario,
        detail: `${before.verdict} → ${after.verdict}`,
        regression: after.verdict !== "pass",
      });
    }
    for (const [step, ms] of before.steps) {
      const now = after.steps.get(step);
      if (now === undefined) continue;
      if (now > ms * SLOWER_RATIO && now - ms > SLOWER_MIN_MS) {
        findings.push({
          kind: "slower",
          scenario,
          detail: `${step}: ${ms} ms → ${now} ms`,
          regression: true,
        });
      } else if (ms > now * SLOWER_RATIO && ms - now > SLOWER_MIN_MS) {
        findings.push({
          kind: "faster",
          scenario,
          detail: `${step}: ${ms} ms → ${now} ms`,
          regression: false,
        });
      }
    }
    for (const l of setDiff(after.logs, before.logs))
      findings.push({ kind: "log-new", scenario, detail: l, regression: false });
    // Which asynchronous log lines land before a scenario ends depends on timing: informative only.
    for (const l of setDiff(before.logs, after.logs))
      findings.push({ kind: "log-missing", scenario, detail: l, regression: false });
    for (const l of setDiff(after.outputs, before.outputs))
      findings.push({ kind: "output-new", scenario, detail: l, regression: false });
    for (const l of setDiff(before.outputs, after.outputs))
      findings.push({ kind: "output-missing", scenario, detail: l, regression: true });
    for (const [topic, shape] of before.topics) {
      const now = after.topics.get(topic);
      if (now === undefined)
        findings.push({ kind: "topic-missing", scenario, detail: topic, regression: true });
      else if (now !== shape)
        findings.push({
          kind: "shape-changed",
          scenario,
          detail: `${topic}: ${shape} → ${now}`,
          regression: true,
        });
    }
    for (const topic of after.topics.keys()) {
      if (!before.topics.has(topic))
        findings.push({ kind: "topic-new", scenario, detail: topic, regression: false });
    }
  }
  return findings;
}

export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "no differences\n";
  return findings
    .map((f) => `${f.regression ? "REGRESSION" : "change    "} ${f.scenario}: ${f.kind} ${f.detail}\n`)
    .join("");
}
