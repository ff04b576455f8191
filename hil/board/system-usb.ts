// The host's USB listing: serial ports from `serialport`, and each USB disk's mount point found
// through /dev/disk/by-id (named after the USB serial number) and /proc/mounts. Linux only for drives.
import { spawnSync } from "node:child_process";
import { readdir, readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import { SerialPort } from "serialport";
import { UsbListingUnavailableError } from "./errors.ts";
import type { UsbDrive, UsbSnapshot } from "./usb-listing.ts";

const BY_ID = "/dev/disk/by-id";

export async function systemUsb(): Promise<UsbSnapshot> {
  // On Linux `serialport` lists through udevadm and crashes the process (an unhandled child 'error')
  // when it is missing, as in minimal containers: say so instead.
  if (process.platform === "linux" && spawnSync("udevadm", ["--version"], { stdio: "ignore" }).error) {
    throw new UsbListingUnavailableError(
      "udevadm not found: listing USB serial ports needs udev (apt-get install -y udev), or set MAR_HIL_USB_LISTING to a JSON listing",
    );
  }
  const ports = (await SerialPort.list()).map((p) => ({
    path: p.path,
    serialNumber: p.serialNumber,
    vendorId: p.vendorId,
    productId: p.productId,
    manufacturer: p.manufacturer,
  }));
  return { ports, drives: await usbDrives() };
}

async function usbDrives(): Promise<UsbDrive[]> {
  let names: string[];
  let mounts: string;
  try {
    names = await readdir(BY_ID);
    mounts = await readFile("/proc/mounts", "utf8");
  } catch {
    return []; // no udev or no procfs: drives are not discovered, ttys still are
  }
  const mountOf = new Map<string, string>();
  for (const line of mounts.split("\n")) {
    const [device, point] = line.split(" ");
    // /proc/mounts escapes spaces and tabs in octal.
    if (device && point)
      mountOf.set(
        device,
        point.replace(/\\(\d{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))),
      );
  }
  const drives: UsbDrive[] = [];
  for (const name of names) {
    // usb-<vendor>_<product>_<serial>-0:0 for the whole disk (no -partN).
    const m = /^usb-.+_([0-9A-Fa-f]{12,})-0:0$/.exec(name);
    if (!m?.[1]) continue;
    const device = await realpath(join(BY_ID, name)).catch(() => undefined);
    const mountPoint = device && mountOf.get(device);
    if (mountPoint) drives.push({ serialNumber: m[1], mountPoint });
  }
  return drives;
}
