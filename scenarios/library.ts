// The scenario library shipped with mar-hil: every file under scenarios/library.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { loadScenario } from "./load-scenario.ts";
import type { Scenario } from "./scenario.ts";

export const LIBRARY_DIR = fileURLToPath(new URL("./library/", import.meta.url));

export function loadLibrary(dir = LIBRARY_DIR): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => loadScenario(join(dir, f)));
}
