// A running twin leaves its cloud object in the state directory (owner-only: it holds the twin's
// local keys), so `register`/`cleanup --cloud local` find it without copying variables around.
import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CloudAccountDescription, CloudDescription } from "../cloud/index.ts";
import { UsageError } from "./usage-error.ts";

const file = (stateDir: string): string => join(stateDir, "cloud", "running.json");

export function publishRunningCloud(stateDir: string, description: CloudDescription): () => void {
  mkdirSync(join(stateDir, "cloud"), { recursive: true });
  writeFileSync(file(stateDir), JSON.stringify(description), { mode: 0o600 });
  return () => rmSync(file(stateDir), { force: true });
}

/** The `env` of one account of the twin running on `stateDir`. */
export function runningCloudAccount(stateDir: string, account: number): CloudAccountDescription {
  let description: CloudDescription;
  try {
    description = JSON.parse(readFileSync(file(stateDir), "utf8")) as CloudDescription;
  } catch {
    throw new UsageError(
      `no running cloud twin in ${stateDir}; start 'mar-hil sim' or 'mar-hil cloud' with that --state, or use --cloud aws`,
    );
  }
  const a = description.accounts[account];
  if (!a)
    throw new UsageError(
      `--account ${account}: the running twin has ${description.accounts.length} accounts`,
    );
  return a;
}
