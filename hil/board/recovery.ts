// A board that stops answering is power-cycled once; if it still does not answer it is quarantined and
// the error carries the reason for the report.
import { BoardQuarantinedError } from "./errors.ts";
import type { PowerSwitch } from "./power-switch.ts";
import { quarantine } from "./quarantine.ts";

export interface RecoveryTarget {
  id: string;
  lockDir: string;
  power?: PowerSwitch;
}

export type RecoveryOutcome = "answering" | "recovered by power cycle";

/** `probe` resolves when the board answers (e.g. a prompt after Ctrl-C) and rejects otherwise. */
export async function recoverOrQuarantine(
  board: RecoveryTarget,
  probe: () => Promise<void>,
  signal?: AbortSignal,
): Promise<RecoveryOutcome> {
  let first: unknown;
  try {
    await probe();
    return "answering";
  } catch (e) {
    first = e;
  }
  const why = (e: unknown): string => (e instanceof Error ? e.message.split("\n")[0] : String(e)) ?? "";
  if (!board.power) {
    const record = quarantine(board.lockDir, board.id, `not answering and no power hook: ${why(first)}`);
    throw new BoardQuarantinedError(`${board.id} quarantined: ${record.reason}`);
  }
  await board.power.cycle(signal);
  try {
    await probe();
    return "recovered by power cycle";
  } catch (e) {
    const record = quarantine(board.lockDir, board.id, `not answering after a power cycle: ${why(e)}`);
    throw new BoardQuarantinedError(`${board.id} quarantined: ${record.reason}`);
  }
}
