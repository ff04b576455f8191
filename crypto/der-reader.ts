// Just enough DER decoding to look inside a certificate someone else built: walk TLVs, read OIDs.

export interface Tlv {
  tag: number;
  /** Offset of the content in the buffer. */
  start: number;
  /** Offset just after the content. */
  end: number;
}

export class DerError extends Error {
  readonly code = "DER_MALFORMED";
}

export function readTlv(der: Buffer, offset: number): Tlv {
  const tag = der[offset];
  let lengthByte = der[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new DerError(`truncated DER at ${offset}`);
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new DerError(`unsupported DER length at ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[start + i];
      if (lengthByte === undefined) throw new DerError(`truncated DER length at ${offset}`);
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  const end = start + length;
  if (end > der.length) throw new DerError(`DER element at ${offset} runs past the end`);
  return { tag, start, end };
}

/** The children of a constructed element. */
export function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const child = readTlv(der, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

export function decodeOid(der: Buffer, t: Tlv): string {
  if (t.tag !== 0x06) throw new DerError("not an OBJECT IDENTIFIER");
  const bytes = der.subarray(t.start, t.end);
  const first = bytes[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature }. */
export function certificateSignatureAlgorithm(der: Buffer): string {
  const certificate = readTlv(der, 0);
  const [, algorithm] = children(der, certificate);
  if (!algorithm) throw new DerError("certificate has no signatureAlgorithm");
  const [algorithmOid] = children(der, algorithm);
  if (!algorithmOid) throw new DerError("empty AlgorithmIdentifier");
  return decodeOid(der, algorithmOid);
}
