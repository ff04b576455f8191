// Where `boards` and `flash --board` look for attached ST-LINKs: the system's USB, or the JSON listing
// named by MAR_HIL_USB_LISTING (tests, or a listing captured on another host).
import { fileUsb, systemUsb, type UsbSource } from "../hil/board/index.ts";

export function usbSource(env: NodeJS.ProcessEnv = process.env): UsbSource {
  const file = env.MAR_HIL_USB_LISTING;
  return file ? fileUsb(file) : systemUsb;
}
