// A USB listing read from a JSON file ({"ports": [...], "drives": [...]}, the UsbSnapshot shape):
// for tests, and for a listing captured on another host. Named by MAR_HIL_USB_LISTING in the CLI.
import { readFile } from "node:fs/promises";
import { RackInvalidError } from "./errors.ts";
import type { UsbSnapshot, UsbSource } from "./usb-listing.ts";

export function fileUsb(path: string): UsbSource {
  return async () => {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, "utf8"));
    } catch (e) {
      throw new RackInvalidError(`USB listing ${path}: ${(e as Error).message.split("\n")[0]}`);
    }
    const s = json as Partial<UsbSnapshot>;
    if (!Array.isArray(s.ports) || !Array.isArray(s.drives)) {
      throw new RackInvalidError(`USB listing ${path}: expected {"ports": [...], "drives": [...]}`);
    }
    return { ports: s.ports, drives: s.drives };
  };
}
