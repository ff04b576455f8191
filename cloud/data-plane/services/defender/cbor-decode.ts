// A small CBOR (RFC 8949) reader for Device Defender metrics reports: every major type, definite and
// indefinite lengths, bounded depth. Anything malformed throws a CborError, never a crash.

export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | undefined
  | Uint8Array
  | CborValue[]
  | Map<CborValue, CborValue>
  | { tag: number | bigint; value: CborValue };

/** A report that is not well-formed CBOR (`code` is stable). */
export class CborError extends Error {
  readonly code = "CBOR_INVALID";
  readonly fault = "device";
}

const MAX_DEPTH = 32;
const BREAK = Symbol("break");

class Reader {
  private at = 0;

  constructor(private readonly bytes: Buffer) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  private take(n: number): Buffer {
    if (this.at + n > this.bytes.length) throw new CborError(`truncated at byte ${this.at}`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** The argument of a head: a count, a length or a value, by the additional information. */
  private argument(info: number): number | bigint {
    if (info < 24) return info;
    if (info === 24) return this.take(1).readUInt8(0);
    if (info === 25) return this.take(2).readUInt16BE(0);
    if (info === 26) return this.take(4).readUInt32BE(0);
    if (info === 27) {
      const big = this.take(8).readBigUInt64BE(0);
      return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    throw new CborError(`reserved additional information ${info}`);
  }

  private length(info: number): number {
    const n = this.argument(info);
    if (typeof n === "bigint" || n > this.bytes.length) throw new CborError("length beyond the report");
    return n;
  }

  value(depth = 0): CborValue {
    const v = this.item(depth);
    if (v === BREAK) throw new CborError("unexpected break");
    return v;
  }

  private item(depth: number): CborValue | typeof BREAK {
    if (depth > MAX_DEPTH) throw new CborError(`nested deeper than ${MAX_DEPTH}`);
    const initial = this.take(1).readUInt8(0);
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (info === 31) return this.indefinite(major, depth);
    switch (major) {
      case 0:
        return this.argument(info);
      case 1: {
        const n = this.argument(info);
        return typeof n === "bigint" ? -1n - n : -1 - n;
      }
      case 2:
        return new Uint8Array(this.take(this.length(info)));
      case 3:
        return this.text(this.take(this.length(info)));
      case 4:
        return Array.from({ length: this.length(info) }, () => this.value(depth + 1));
      case 5: {
        const map = new Map<CborValue, CborValue>();
        for (let n = this.length(info); n > 0; n--) map.set(this.value(depth + 1), this.value(depth + 1));
        return map;
      }
      case 6:
        return { tag: this.argument(info), value: this.value(depth + 1) };
      default:
        return this.simple(info);
    }
  }

  private simple(info: number): CborValue | typeof BREAK {
    if (info === 20) return false;
    if (info === 21) return true;
    if (info === 22) return null;
    if (info === 23) return undefined;
    if (info === 24) return this.take(1).readUInt8(0);
    if (info === 25) return halfFloat(this.take(2).readUInt16BE(0));
    if (info === 26) return this.take(4).readFloatBE(0);
    if (info === 27) return this.take(8).readDoubleBE(0);
    if (info < 20) return info;
    throw new CborError(`reserved simple value ${info}`);
  }

  private indefinite(major: number, depth: number): CborValue | typeof BREAK {
    if (major === 7) return BREAK;
    const items: CborValue[] = [];
    for (;;) {
      const v = this.item(depth + 1);
      if (v === BREAK) break;
      items.push(v);
    }
    if (major === 2 || major === 3) {
      // RFC 8949 §3.2.3: chunks of an indefinite string are definite strings of the same major type.
      const chunks = items.map((c) => {
        const ok = major === 2 ? c instanceof Uint8Array : typeof c === "string";
        if (!ok) throw new CborError("indefinite string chunk of another type");
        return major === 2 ? Buffer.from(c as Uint8Array) : Buffer.from(c as string, "utf8");
      });
      const joined = Buffer.concat(chunks);
      return major === 2 ? new Uint8Array(joined) : this.text(joined);
    }
    if (major === 4) return items;
    if (major === 5) {
      if (items.length % 2 !== 0) throw new CborError("indefinite map with a key and no value");
      const map = new Map<CborValue, CborValue>();
      for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]);
      return map;
    }
    throw new CborError(`major type ${major} cannot have an indefinite length`);
  }

  private text(bytes: Buffer): string {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new CborError("text string is not UTF-8");
    }
  }
}

function halfFloat(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Decodes exactly one CBOR data item; trailing bytes are an error. */
export function decodeCbor(bytes: Buffer): CborValue {
  const reader = new Reader(bytes);
  const value = reader.value();
  if (!reader.done) throw new CborError("bytes after the data item");
  return value;
}
