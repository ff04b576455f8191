// `mar-hil boards`: the ST-LINK boards attached to this host, whether the rack knows them, and rack
// entries for those it does not.
import { discover, loadRack, type RackConfig } from "../../hil/board/index.ts";
import { parseOptions } from "../args.ts";
import { usbSource } from "../usb-source.ts";

const HELP = `usage: mar-hil boards [--rack FILE] [--json]

Lists the ST-LINK boards attached to this host (USB vendor 0483): serial number, console tty, drive
mount, and the rack's id for it. Boards the rack does not know get a proposed rack entry; rack boards
that are not attached are listed as missing.

  --rack FILE   the rack to match against (rack.yaml)
  --json        one JSON object per line: {"event":"board",…}, {"event":"missing",…}`;

export async function boards(argv: string[]): Promise<number> {
  const o = parseOptions(argv, {
    rack: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const rack: RackConfig | undefined = o.rack === undefined ? undefined : await loadRack(o.rack);
  const found = discover(await usbSource()(), rack);
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  if (o.json) {
    for (const b of found.boards) {
      const proposal = found.proposals.find((p) => p.stlinkSerial === b.serialNumber);
      out(
        JSON.stringify({
          event: "board",
          serialNumber: b.serialNumber,
          tty: b.tty ?? null,
          drive: b.drive ?? null,
          rackId: b.rackId ?? null,
          ...(proposal ? { proposal } : {}),
        }),
      );
    }
    for (const m of found.missing)
      out(JSON.stringify({ event: "missing", id: m.id, stlinkSerial: m.stlinkSerial }));
  } else {
    for (const b of found.boards) {
      const known = b.rackId ? `rack: ${b.rackId}` : rack ? "not in the rack" : "";
      out(`${b.serialNumber}  ${b.tty ?? "(no tty)"}  ${b.drive ?? "(no drive)"}  ${known}`.trimEnd());
    }
    for (const m of found.missing) out(`${m.stlinkSerial}  missing: rack board ${m.id} is not attached`);
    if (found.proposal) out(`\nproposed rack entries (under boards:):\n${found.proposal.trimEnd()}`);
  }
  if (found.boards.length === 0) process.stderr.write("no ST-LINK boards attached (USB vendor 0483)\n");
  return 0;
}
