// A self-contained index.html: per board a timeline of steps and durations, the serial transcript with
// log lines set apart, and the MQTT messages seen. No scripts, no external assets.
import type { RunResults, ScenarioResult } from "./results.ts";

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const STYLE = `body{font:14px system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}
.pass{color:#16702e}.fail,.error{color:#b3261e}.skip{color:#777}
table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}
.bar{display:inline-block;height:10px;background:#8ab4f8;vertical-align:middle}
pre{background:#f7f7f7;padding:8px;overflow:auto;max-height:28em;font:12px ui-monospace,monospace}
.log{color:#6a4c93}.tx{color:#0b57d0}`;

function timeline(s: ScenarioResult): string {
  const total = Math.max(1, ...s.steps.map((st) => st.durationMs));
  const rows = s.steps.map(
    (st) =>
      `<tr><td>${st.index + 1}</td><td>${esc(st.step)}</td><td class="${st.verdict}">${st.verdict}</td>` +
      `<td>${st.durationMs} ms <span class="bar" style="width:${Math.max(1, Math.round((st.durationMs / total) * 300))}px"></span></td>` +
      `<td>${esc(st.diagnosis ?? "")}</td></tr>`,
  );
  return `<table><tr><th>#</th><th>step</th><th>verdict</th><th>duration</th><th>diagnosis</th></tr>${rows.join("")}</table>`;
}

function transcript(s: ScenarioResult): string {
  const lines = s.serial.join("").split(/\r?\n/);
  const body = lines
    .map((l) => {
      // A log that redrew the prompt: show the log alone (firmware-shell §1.4).
      const clean = l
        .replace(/^(> )?\r?\x1b\[K/, "")
        .replace(/\x1b\[K/g, "")
        .replace(/\r/g, "");
      return /^(> )?<[A-Z]{3}> /.test(clean) ? `<span class="log">${esc(clean)}</span>` : esc(clean);
    })
    .join("\n");
  return `<pre>${body}</pre>`;
}

function mqtt(s: ScenarioResult): string {
  if (s.mqtt.length === 0) return "<p>No MQTT messages observed.</p>";
  const rows = s.mqtt
    .slice(0, 200)
    .map(
      (m) =>
        `<tr><td>${new Date(m.time).toISOString()}</td><td>${esc(m.topic)}</td><td><code>${esc(m.payload.slice(0, 300))}</code></td></tr>`,
    );
  return `<table><tr><th>time</th><th>topic</th><th>payload</th></tr>${rows.join("")}</table>`;
}

export function htmlReport(run: RunResults): string {
  const passed = run.scenarios.filter((s) => s.verdict === "pass").length;
  const sections = run.scenarios.map(
    (s) =>
      `<h2 id="${esc(`${s.board}-${s.scenario}`)}">${esc(s.scenario)} on ${esc(s.board)} — <span class="${s.verdict}">${s.verdict}</span> (${(s.durationMs / 1000).toFixed(1)} s)</h2>` +
      (s.diagnosis ? `<p class="${s.verdict}">${esc(s.diagnosis)}</p>` : "") +
      timeline(s) +
      `<h3>Serial transcript</h3>${transcript(s)}<h3>MQTT</h3>${mqtt(s)}`,
  );
  const summary = run.scenarios.map(
    (s) =>
      `<tr><td><a href="#${esc(`${s.board}-${s.scenario}`)}">${esc(s.scenario)}</a></td><td>${esc(s.board)}</td>` +
      `<td class="${s.verdict}">${s.verdict}</td><td>${(s.durationMs / 1000).toFixed(1)} s</td><td>${esc(s.diagnosis ?? "")}</td></tr>`,
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>mar-hil ${esc(run.runId)}</title><style>${STYLE}</style></head><body>
<h1>mar-hil run ${esc(run.runId)}</h1>
<p>Target: ${esc(run.target)} — ${passed}/${run.scenarios.length} passed in ${(run.durationMs / 1000).toFixed(1)} s, started ${new Date(run.startedAt).toISOString()}</p>
<table><tr><th>scenario</th><th>board</th><th>verdict</th><th>duration</th><th>diagnosis</th></tr>${summary.join("")}</table>
${sections.join("\n")}
</body></html>
`;
}
