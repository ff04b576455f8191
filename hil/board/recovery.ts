// A board that stops answering is power-cycled once (or, without a power hook, reset through its probe);
// if it still does not answer it is quarantined and the error carries the reason for the report.
import { BoardQuarantinedError } from "./errors.ts";
import type { PowerSwitch } from "./power-switch.ts";
import { quarantine } from "./quarantine.ts";

export interface RecoveryTarget {
  id: string;
  lockDir: string;
  power?: PowerSwitch;
  /** The probe's reset (rack.yaml `reset: probe`), used when there is no power hook. */
  reset?: { reset(signal?: AbortSignal): Promise<unknown> };
}

export type RecoveryOutcome = "answering" | "recovered by power cycle" | "recovered by probe reset";

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
  const action = board.power ? "power cycle" : board.reset ? "probe reset" : undefined;
  if (!action) {
    const record = quarantine(
      board.lockDir,
      board.id,
      `not answering and no power hook or probe reset: ${why(first)}`,
    );
    throw new BoardQuarantinedError(`${board.id} quarantined: ${record.reason}`);
  }
  // A hook or probe that fails keeps its own error: that is the rack's problem, not the board's.
  if (board.power) await board.power.cycle(signal);
  else await board.reset?.reset(signal);
  try {
    await probe();
    return `recovered by ${action}`;
  } catch (e) {
    const record = quarantine(board.lockDir, board.id, `not answering after a ${action}: ${why(e)}`);
    throw new BoardQuarantinedError(`${board.id} quarantined: ${record.reason}`);
  }
}
