// Just enough CBOR (RFC 8949) for the Device Defender metrics report: maps, arrays, text, unsigned ints.

export type CborValue = number | string | CborValue[] | { [key: string]: CborValue };

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n >>> 0, 1);
  return b;
}

export function encodeCbor(v: CborValue): Buffer {
  if (typeof v === "number") return head(0, Math.max(0, Math.floor(v)));
  if (typeof v === "string") {
    const bytes = Buffer.from(v, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(encodeCbor)]);
  const entries = Object.entries(v);
  return Buffer.concat([
    head(5, entries.length),
    ...entries.flatMap(([k, val]) => [encodeCbor(k), encodeCbor(val)]),
  ]);
}
