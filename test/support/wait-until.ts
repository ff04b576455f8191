// Polls a condition until it holds or a deadline passes; the error says what was awaited and what was
// last seen, so a failing test explains itself.

export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const started = performance.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(`waited ${timeoutMs} ms for ${what}; last seen: ${String(last)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
