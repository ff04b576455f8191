// Who an account of the twin is: 12-digit id, region, endpoint prefix and its SigV4 key pair
// (aws-iot §1.1, §2, §3.5). Made once, persisted, the same after every restart.
import { randomBytes, randomInt } from "node:crypto";

export interface AccountIdentity {
  accountId: string;
  region: string;
  /** 14 lower-case alphanumerics: `<prefix>-ats.iot.<region>.amazonaws.com`. */
  endpointPrefix: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export type EndpointType = "iot:Data" | "iot:Data-ATS" | "iot:CredentialProvider" | "iot:Jobs";

/** aws-iot §3.5: one stable address per type; no type means the legacy iot:Data endpoint. */
export function endpointAddress(a: AccountIdentity, type: EndpointType): string {
  switch (type) {
    case "iot:Data-ATS":
      return `${a.endpointPrefix}-ats.iot.${a.region}.amazonaws.com`;
    case "iot:Data":
      return `${a.endpointPrefix}.iot.${a.region}.amazonaws.com`;
    case "iot:CredentialProvider":
      return `${a.endpointPrefix}.credentials.iot.${a.region}.amazonaws.com`;
    case "iot:Jobs":
      return `${a.endpointPrefix}.jobs.iot.${a.region}.amazonaws.com`;
  }
}

function pick(alphabet: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function newAccountIdentity(region: string, existing: readonly AccountIdentity[]): AccountIdentity {
  const taken = new Set(existing.map((a) => a.accountId));
  let accountId: string;
  do accountId = String(randomInt(1, 10)) + pick("0123456789", 11);
  while (taken.has(accountId));
  return {
    accountId,
    region,
    endpointPrefix: pick(LOWER_ALNUM, 14),
    // Shaped like IAM user keys: AKIA + 16 base32 characters, 40-character secret.
    accessKeyId: `AKIA${pick(UPPER_ALNUM, 16)}`,
    secretAccessKey: randomBytes(30).toString("base64"),
  };
}
