// The policy variables of one connection (aws-iot §4.4): client id, the attached thing, the source
// address, and the client certificate's fields — those parsed only if a policy asks for them.
import { X509Certificate } from "node:crypto";
import type { ThingRecord } from "../registry/types.ts";
import type { PolicyVariables } from "../policy/index.ts";

function field(dn: string, key: string): string | undefined {
  return new RegExp(`^${key}=(.*)$`, "m").exec(dn)?.[1];
}

function certificateFields(der: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  try {
    const x509 = new X509Certificate(der);
    const entries: [string, string | undefined][] = [
      ["iot:Certificate.Subject.CommonName", field(x509.subject, "CN")],
      ["iot:Certificate.Subject.Organization", field(x509.subject, "O")],
      ["iot:Certificate.Issuer.CommonName", field(x509.issuer, "CN")],
      ["iot:Certificate.SerialNumber", x509.serialNumber],
    ];
    for (const [k, v] of entries) if (v !== undefined) fields.set(k, v);
  } catch {
    // An unparsable certificate simply leaves the certificate variables unresolved.
  }
  return fields;
}

export class ConnectionVariables implements PolicyVariables {
  private readonly fixed = new Map<string, string>();
  private certificate: Map<string, string> | undefined;

  constructor(
    clientId: string,
    ipAddress: string,
    thing: ThingRecord | undefined,
    private readonly certificateDer: Buffer,
  ) {
    this.fixed.set("iot:ClientId", clientId);
    this.fixed.set("aws:SourceIp", ipAddress);
    // aws-iot §4.3: thing variables resolve only when the client id names a thing the certificate is attached to.
    this.fixed.set("iot:Connection.Thing.IsAttached", String(thing !== undefined));
    if (thing) {
      this.fixed.set("iot:Connection.Thing.ThingName", thing.thingName);
      for (const [k, v] of Object.entries(thing.attributes)) {
        this.fixed.set(`iot:Connection.Thing.Attributes[${k}]`, v);
      }
    }
  }

  get(name: string): string | undefined {
    if (!name.startsWith("iot:Certificate.")) return this.fixed.get(name);
    this.certificate ??= certificateFields(this.certificateDer);
    return this.certificate.get(name);
  }
}
