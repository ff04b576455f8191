// STSAFE zone 1: the runtime configuration record (firmware-shell §3.6).
// Layout: header 30 82 01 B8, then a 440-byte record: magic, 6 × (type, length, 64 data bytes), CRC.

export const CONFIG_KEYS = [
  "thing_name",
  "mqtt_endpoint",
  "mqtt_port",
  "wifi_ssid",
  "wifi_credential",
  "time_hwm",
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];
export type ConfigValue = string | number;

const NUMERIC: ReadonlySet<ConfigKey> = new Set(["mqtt_port", "time_hwm"]);
export const isNumericKey = (key: ConfigKey): boolean => NUMERIC.has(key);

const HEADER = Buffer.from([0x30, 0x82, 0x01, 0xb8]);
const MAGIC = 0x37a4ef09;
const TYPE_UINT32 = 4;
const TYPE_STRING = 5;
const SLOT = 72;
const RECORD = 440;
const CRC_OFFSET = 4 + CONFIG_KEYS.length * SLOT;
/** The firmware only feeds the first 110 bytes to the CRC unit (§3.6). */
const CRC_SPAN = 110;

/** CRC-16/CCITT (poly 0x1021, init 0xFFFF) as the STM32 CRC unit computes it. */
export function crc16(bytes: Buffer): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export interface StoredString {
  value: string;
  /** Strings are stored with their NUL, except the CN-derived thing name of the MAR build (§3.5). */
  terminated: boolean;
}

function slotOffset(index: number): number {
  return 4 + index * SLOT;
}

export class ConfigRecord {
  private constructor(private readonly bytes: Buffer) {}

  static defaults(values: Record<ConfigKey, ConfigValue>, thingNameTerminated: boolean): ConfigRecord {
    const record = new ConfigRecord(Buffer.alloc(HEADER.length + RECORD));
    HEADER.copy(record.bytes, 0);
    record.body.writeUInt32LE(MAGIC, 0);
    for (const key of CONFIG_KEYS) record.put(key, values[key], key !== "thing_name" || thingNameTerminated);
    // Firmware bug: the defaults are written with a CRC that never matches, so they are re-written
    // at every boot until the first successful `conf commit` (§3.6, INFERRED; invisible on the console).
    record.body.writeUInt32LE(record.crc() ^ 0xffff, CRC_OFFSET);
    return record;
  }

  /** Undefined when the zone was never written or fails the magic/CRC check. */
  static parse(stored: Buffer | undefined, verifyCrc = true): ConfigRecord | undefined {
    if (!stored || stored.length !== HEADER.length + RECORD) return undefined;
    const record = new ConfigRecord(Buffer.from(stored));
    if (record.body.readUInt32LE(0) !== MAGIC) return undefined;
    if (verifyCrc && (record.body.readUInt32LE(CRC_OFFSET) & 0xffff) !== record.crc()) return undefined;
    return record;
  }

  private get body(): Buffer {
    return this.bytes.subarray(HEADER.length);
  }

  private crc(): number {
    return crc16(this.body.subarray(0, CRC_SPAN));
  }

  /** A copy with one key rewritten and a valid CRC, as one zone write of `conf commit` produces. */
  with(key: ConfigKey, value: ConfigValue): ConfigRecord {
    const next = new ConfigRecord(Buffer.from(this.bytes));
    next.put(key, value, true);
    next.body.writeUInt32LE(next.crc(), CRC_OFFSET);
    return next;
  }

  private put(key: ConfigKey, value: ConfigValue, terminated: boolean): void {
    const at = slotOffset(CONFIG_KEYS.indexOf(key));
    const body = this.body;
    body.fill(0, at, at + SLOT);
    if (typeof value === "number") {
      body.writeUInt32LE(TYPE_UINT32, at);
      body.writeUInt32LE(4, at + 4);
      body.writeUInt32LE(value >>> 0, at + 8);
      return;
    }
    const data = Buffer.from(terminated ? `${value}\0` : value, "latin1");
    body.writeUInt32LE(TYPE_STRING, at);
    body.writeUInt32LE(data.length, at + 4);
    // No bound check, as in the firmware: a value over 63 characters runs into the next key's
    // slot (§3.3). The CRC span and the record end still bound it.
    data.copy(body, at + 8, 0, Math.min(data.length, CRC_OFFSET - at - 8));
  }

  /** Undefined when the slot does not hold a value of the key's type (e.g. overwritten by an overflow). */
  get(key: ConfigKey): ConfigValue | undefined {
    const at = slotOffset(CONFIG_KEYS.indexOf(key));
    const body = this.body;
    const type = body.readUInt32LE(at);
    const length = body.readUInt32LE(at + 4);
    if (isNumericKey(key))
      return type === TYPE_UINT32 && length === 4 ? body.readUInt32LE(at + 8) : undefined;
    if (type !== TYPE_STRING || length > CRC_OFFSET - at - 8) return undefined;
    // Readers take length - 1 characters: the stored terminator (or, unterminated, the last character).
    return body.subarray(at + 8, at + 8 + Math.max(0, length - 1)).toString("latin1");
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}
