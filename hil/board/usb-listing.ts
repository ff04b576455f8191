// What the host's USB tells about attached probes: serial ports (as `SerialPort.list()` reports them)
// and mass-storage mounts by USB serial number. A source is injected: the system's, or a JSON file.
// No dependencies on purpose.

export interface UsbPort {
  path: string;
  serialNumber?: string;
  /** Hex, as `SerialPort.list()` reports it (e.g. "0483"). */
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
}

export interface UsbDrive {
  serialNumber: string;
  mountPoint: string;
}

export interface UsbSnapshot {
  ports: UsbPort[];
  drives: UsbDrive[];
}

export type UsbSource = () => Promise<UsbSnapshot>;

/** An ST-LINK seen on USB: its serial number and what it exposes. */
export interface StlinkDevice {
  serialNumber: string;
  tty?: string;
  drive?: string;
  productId?: string;
}

export const ST_VENDOR_ID = "0483";
