// A simulated ST-LINK's USB serial number: 24 hex digits as on ST-LINK V3 probes, derived from the
// board's identity so the same state directory gives the same probe after a restart.
import { createHash } from "node:crypto";

export function stlinkSerialNumber(boardIdentity: string): string {
  return createHash("sha256").update(`st-link:${boardIdentity}`).digest("hex").slice(0, 24).toUpperCase();
}
