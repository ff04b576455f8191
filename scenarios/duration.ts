// Durations in scenario files: "500ms", "30s", "2m".

export function parseDuration(text: unknown): number | undefined {
  if (typeof text === "number" && Number.isFinite(text) && text >= 0) return text * 1000;
  if (typeof text !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}
