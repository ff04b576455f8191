// X.509 v3 certificates signed with ECDSA P-256 / SHA-256, built field by field so that the
// simulated STSAFE certificates have exactly the shape of the factory ones (firmware-shell §4.8), and
// the IoT Core twin can issue its root CA and per-endpoint server certificates (aws-iot §5).
import { sign, type KeyObject } from "node:crypto";
import {
  bitString,
  boolean,
  explicit,
  octetString,
  oid,
  printableString,
  sequence,
  set,
  time,
  tlv,
  unsignedInteger,
  utf8String,
  type Der,
} from "./der.ts";

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const ATTRIBUTE = { C: "2.5.4.6", O: "2.5.4.10", CN: "2.5.4.3" } as const;
const EXTENDED_KEY_USAGE = { serverAuth: "1.3.6.1.5.5.7.3.1", clientAuth: "1.3.6.1.5.5.7.3.2" } as const;

export type DistinguishedName = ReadonlyArray<readonly [keyof typeof ATTRIBUTE, string]>;

function name(dn: DistinguishedName): Der {
  // Country is a PrintableString (RFC 5280 appendix A); the other attributes are UTF8String.
  return sequence(
    ...dn.map(([key, value]) =>
      set(sequence(oid(ATTRIBUTE[key]), key === "C" ? printableString(value) : utf8String(value))),
    ),
  );
}

export interface CertificateTemplate {
  serial: Buffer;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  /** Signs the TBSCertificate with ECDSA/SHA-256 and returns the DER signature. */
  signer: (tbs: Buffer) => Buffer;
  isCa?: boolean;
  /** A leaf for TLS: DNS names (subjectAltName), extended key usages; adds CA:FALSE and digitalSignature. */
  leaf?: { dnsNames?: readonly string[]; extendedKeyUsage?: ReadonlyArray<keyof typeof EXTENDED_KEY_USAGE> };
}

function caExtensions(): Der {
  const basicConstraints = sequence(oid("2.5.29.19"), boolean(true), octetString(sequence(boolean(true))));
  // keyUsage: keyCertSign | cRLSign
  const keyUsage = sequence(oid("2.5.29.15"), boolean(true), octetString(bitString(Buffer.from([0x06]))));
  return explicit(3, sequence(basicConstraints, keyUsage));
}

function leafExtensions(leaf: NonNullable<CertificateTemplate["leaf"]>): Der {
  const basicConstraints = sequence(oid("2.5.29.19"), boolean(true), octetString(sequence()));
  // keyUsage: digitalSignature (ECDHE_ECDSA suites sign the handshake with it)
  const keyUsage = sequence(
    oid("2.5.29.15"),
    boolean(true),
    octetString(tlv(0x03, Buffer.from([0x07, 0x80]))),
  );
  const extensions = [basicConstraints, keyUsage];
  if (leaf.extendedKeyUsage?.length) {
    const usages = sequence(...leaf.extendedKeyUsage.map((u) => oid(EXTENDED_KEY_USAGE[u])));
    extensions.push(sequence(oid("2.5.29.37"), octetString(usages)));
  }
  if (leaf.dnsNames?.length) {
    // GeneralName dNSName is [2] IMPLICIT IA5String
    const names = sequence(...leaf.dnsNames.map((n) => tlv(0x82, Buffer.from(n, "ascii"))));
    extensions.push(sequence(oid("2.5.29.17"), octetString(names)));
  }
  return explicit(3, sequence(...extensions));
}

export function issueCertificate(t: CertificateTemplate): Buffer {
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(t.serial),
    algorithm,
    name(t.issuer),
    sequence(time(t.notBefore), time(t.notAfter)),
    name(t.subject),
    t.publicKey.export({ type: "spki", format: "der" }),
    ...(t.isCa ? [caExtensions()] : []),
    ...(t.leaf ? [leafExtensions(t.leaf)] : []),
  );
  return sequence(tbs, algorithm, bitString(t.signer(tbs)));
}

export function ecdsaSigner(privateKey: KeyObject): (data: Buffer) => Buffer {
  return (data) => sign("sha256", data, privateKey);
}
