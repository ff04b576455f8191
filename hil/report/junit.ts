// JUnit XML: one test case per board × scenario; failures carry the diagnosis and the transcript tail.
import type { RunResults } from "./results.ts";

const TAIL_LINES = 40;

function xml(text: string): string {
  return text
    .replace(
      /[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
    )
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

export function junitXml(run: RunResults): string {
  const failures = run.scenarios.filter((s) => s.verdict === "fail").length;
  const errors = run.scenarios.filter((s) => s.verdict === "error").length;
  const skipped = run.scenarios.filter((s) => s.verdict === "skip").length;
  const cases = run.scenarios.map((s) => {
    const name = `${s.scenario} [${s.board}]`;
    const time = (s.durationMs / 1000).toFixed(3);
    const open = `    <testcase classname="mar-hil.${xml(s.scenario)}" name="${xml(name)}" time="${time}">`;
    const steps = s.steps.map((st) => `${st.verdict.padEnd(5)} ${st.step} (${st.durationMs} ms)`).join("\n");
    if (s.verdict === "pass") return `${open}\n      <system-out>${xml(steps)}</system-out>\n    </testcase>`;
    if (s.verdict === "skip")
      return `${open}\n      <skipped message="${xml(s.diagnosis ?? "skipped")}"/>\n    </testcase>`;
    const tag = s.verdict === "fail" ? "failure" : "error";
    const tail = s.serial.join("").split("\n").slice(-TAIL_LINES).join("\n");
    return `${open}\n      <${tag} message="${xml(s.diagnosis ?? s.verdict)}">${xml(`${steps}\n\n--- serial transcript (tail) ---\n${tail}`)}</${tag}>\n    </testcase>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="mar-hil" tests="${run.scenarios.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(run.durationMs / 1000).toFixed(3)}">\n` +
    `  <testsuite name="mar-hil ${xml(run.runId)}" tests="${run.scenarios.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${new Date(run.startedAt).toISOString()}">\n` +
    `${cases.join("\n")}\n  </testsuite>\n</testsuites>\n`
  );
}
