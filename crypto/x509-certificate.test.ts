import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ecdsaSigner, issueCertificate, type DistinguishedName } from "./x509-certificate.ts";

const CA: DistinguishedName = [["CN", "test root"]];

describe("issueCertificate", () => {
  it("issues a CA and a TLS server leaf that node's X.509 parser accepts and verifies", () => {
    const ca = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const caDer = issueCertificate({
      serial: Buffer.from([1]),
      issuer: CA,
      subject: CA,
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2044-01-01T00:00:00Z"),
      publicKey: ca.publicKey,
      signer: ecdsaSigner(ca.privateKey),
      isCa: true,
    });
    const leaf = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const leafDer = issueCertificate({
      serial: Buffer.from([0x80, 2]),
      issuer: CA,
      subject: [["CN", "abc-ats.iot.us-east-1.amazonaws.com"]],
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2034-01-01T00:00:00Z"),
      publicKey: leaf.publicKey,
      signer: ecdsaSigner(ca.privateKey),
      leaf: { dnsNames: ["abc-ats.iot.us-east-1.amazonaws.com"], extendedKeyUsage: ["serverAuth"] },
    });
    const caCert = new X509Certificate(caDer);
    const leafCert = new X509Certificate(leafDer);
    expect(caCert.ca).toBe(true);
    expect(leafCert.ca).toBe(false);
    expect(leafCert.verify(caCert.publicKey)).toBe(true);
    expect(leafCert.checkIssued(caCert)).toBe(true);
    expect(leafCert.subjectAltName).toBe("DNS:abc-ats.iot.us-east-1.amazonaws.com");
    expect(leafCert.checkHost("abc-ats.iot.us-east-1.amazonaws.com")).toBe(
      "abc-ats.iot.us-east-1.amazonaws.com",
    );
    expect(leafCert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
  });
});
