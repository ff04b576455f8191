// MQTT topic filter matching (MQTT 3.1.1 §4.7), to route what the observer receives to the
// assertions waiting for it. `$` topics match only filters that spell out their first level.

export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  if (topic.startsWith("$") && (f[0] === "+" || f[0] === "#")) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    // aws-iot §4.7: `a/#` does not match `a` itself on AWS IoT.
    if (level === "#") return t.length > i;
    if (i >= t.length) return false;
    if (level !== "+" && level !== t[i]) return false;
  }
  return f.length === t.length;
}
