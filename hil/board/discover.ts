// Which ST-LINK boards are attached (USB vendor 0483), merged by serial number across their tty and
// drive, matched with the rack, and a rack entry proposed for each board the rack does not know.
import { stringify } from "yaml";
import type { RackBoardEntry, RackConfig } from "./rack-file.ts";
import { ST_VENDOR_ID, type StlinkDevice, type UsbSnapshot } from "./usb-listing.ts";

export interface DiscoveredBoard extends StlinkDevice {
  /** The rack's id for this serial number; undefined when the rack does not know it. */
  rackId?: string;
}

export interface Discovery {
  boards: DiscoveredBoard[];
  /** Rack entries whose ST-LINK is not attached. */
  missing: RackBoardEntry[];
  /** Entries for the boards the rack does not know. */
  proposals: ProposedEntry[];
  /** The same as YAML, ready to paste under `boards:`; empty when there is none. */
  proposal: string;
}

export type ProposedEntry = Pick<RackBoardEntry, "id" | "stlinkSerial" | "flash" | "reset">;

export function findStlinks(usb: UsbSnapshot): StlinkDevice[] {
  const bySerial = new Map<string, StlinkDevice>();
  const get = (serial: string): StlinkDevice => {
    const key = serial.toUpperCase();
    let d = bySerial.get(key);
    if (!d) bySerial.set(key, (d = { serialNumber: key }));
    return d;
  };
  for (const p of usb.ports) {
    if (p.vendorId?.toLowerCase() !== ST_VENDOR_ID || !p.serialNumber) continue;
    const d = get(p.serialNumber);
    d.tty = p.path;
    if (p.productId) d.productId = p.productId;
  }
  // Drives count only for probes seen as ST serial ports: other USB disks have serial numbers too.
  for (const drive of usb.drives) {
    const d = bySerial.get(drive.serialNumber.toUpperCase());
    if (d) d.drive = drive.mountPoint;
  }
  return [...bySerial.values()].sort((a, b) => a.serialNumber.localeCompare(b.serialNumber));
}

export function discover(usb: UsbSnapshot, rack?: RackConfig): Discovery {
  const idOf = new Map((rack?.boards ?? []).map((b) => [b.stlinkSerial.toUpperCase(), b.id]));
  const boards = findStlinks(usb).map((d): DiscoveredBoard => {
    const rackId = idOf.get(d.serialNumber);
    return rackId ? { ...d, rackId } : d;
  });
  const attached = new Set(boards.map((b) => b.serialNumber));
  const missing = (rack?.boards ?? []).filter((b) => !attached.has(b.stlinkSerial.toUpperCase()));
  const taken = new Set((rack?.boards ?? []).map((b) => b.id));
  const proposals = boards
    .filter((b) => !b.rackId)
    .map((b): ProposedEntry => {
      let n = 1;
      while (taken.has(`board-${n}`)) n++;
      taken.add(`board-${n}`);
      return {
        id: `board-${n}`,
        stlinkSerial: b.serialNumber,
        flash: { method: "mass-storage" },
        reset: "console",
      };
    });
  return { boards, missing, proposals, proposal: proposals.length > 0 ? stringify(proposals) : "" };
}
