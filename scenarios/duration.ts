// Durations in scenario files and options: "500ms", "30s", "2m", "4h".

export function parseDuration(text: unknown): number | undefined {
  if (typeof text === "number" && Number.isFinite(text) && text >= 0) return text * 1000;
  if (typeof text !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  return Number(m[1]) * unit;
}
