// A board that stays dead after a power cycle is set aside with the reason, next to its lock, so no run
// picks it up until a human clears it (`rm <lockDir>/<id>.quarantine`).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface QuarantineRecord {
  board: string;
  reason: string;
  since: string;
}

export const quarantineFile = (lockDir: string, board: string): string =>
  join(lockDir, `${board}.quarantine`);

export function quarantine(lockDir: string, board: string, reason: string): QuarantineRecord {
  const record = { board, reason, since: new Date().toISOString() };
  writeFileSync(quarantineFile(lockDir, board), `${JSON.stringify(record)}\n`);
  return record;
}

export function quarantined(lockDir: string, board: string): QuarantineRecord | undefined {
  try {
    return JSON.parse(readFileSync(quarantineFile(lockDir, board), "utf8")) as QuarantineRecord;
  } catch {
    return undefined;
  }
}

export function clearQuarantine(lockDir: string, board: string): void {
  rmSync(quarantineFile(lockDir, board), { force: true });
}
