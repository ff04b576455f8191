// What the simulated world trusts: the public AWS roots stand for the cloud twin's root, so the guide's
// `SFSRootCAG2.pem` works in simulation; any other root is used as it is and fails like on hardware.
import { X509Certificate } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

const AWS_ROOTS_DIR = new URL("../../data/aws-root-cas/", import.meta.url);

function loadAwsRoots(): Set<string> {
  const fingerprints = new Set<string>();
  for (const file of readdirSync(AWS_ROOTS_DIR)) {
    if (!file.endsWith(".pem")) continue;
    fingerprints.add(new X509Certificate(readFileSync(new URL(file, AWS_ROOTS_DIR))).fingerprint256);
  }
  return fingerprints;
}

export class Trust {
  private readonly awsRoots = loadAwsRoots();

  /** @param twinRootPem the cloud twin's root CA, which signs its endpoint certificates. */
  constructor(private readonly twinRootPem: string | undefined) {}

  isAwsRoot(der: Buffer): boolean {
    try {
      return this.awsRoots.has(new X509Certificate(der).fingerprint256);
    } catch {
      return false;
    }
  }

  /** The trust anchor the TLS stack really uses for an imported root CA. */
  anchorFor(der: Buffer): string {
    if (this.twinRootPem && this.isAwsRoot(der)) return this.twinRootPem;
    return new X509Certificate(der).toString();
  }
}
