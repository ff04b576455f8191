// The registry as the two planes of the IoT Core twin see it (aws-iot §1, §3, §4). The control plane
// owns the writes; the data plane only reads, and listens for changes that end sessions.

export type CertificateStatus =
  "ACTIVE" | "INACTIVE" | "REVOKED" | "PENDING_TRANSFER" | "REGISTER_INACTIVE" | "PENDING_ACTIVATION";

export type CertificateMode = "DEFAULT" | "SNI_ONLY";

export interface Account {
  /** 12 digits. */
  accountId: string;
  region: string;
  /** `<prefix>-ats.iot.<region>.amazonaws.com`, the iot:Data-ATS endpoint and the SNI that routes to this account. */
  dataEndpoint: string;
}

export interface CertificateRecord {
  accountId: string;
  /** Lower-case hex SHA-256 of the DER. */
  certificateId: string;
  certificateArn: string;
  certificatePem: string;
  status: CertificateStatus;
  certificateMode: CertificateMode;
  /** Epoch seconds. */
  creationDate: number;
  lastModifiedDate: number;
}

export interface PolicyRecord {
  accountId: string;
  policyName: string;
  policyArn: string;
  /** The JSON document as stored. */
  policyDocument: string;
}

export interface ThingRecord {
  accountId: string;
  thingName: string;
  thingArn: string;
  attributes: Record<string, string>;
  version: number;
}

/** An account's key pair as the twin issues it; SigV4 verification needs the secret (aws-iot §2, §4.1). */
export interface AccessKey {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export type RegistryChange =
  | { kind: "certificate-status"; accountId: string; certificateId: string; status: CertificateStatus }
  | { kind: "certificate-deleted"; accountId: string; certificateId: string }
  | { kind: "policy-changed"; accountId: string; policyName: string }
  | { kind: "thing-principal"; accountId: string; thingName: string; principal: string };

/** What the data plane needs from the registry to authenticate and authorise MQTT clients. */
export interface RegistryView {
  accounts(): readonly Account[];
  /** The account whose iot:Data-ATS endpoint host is `host` (case-insensitive). */
  accountByEndpoint(host: string): Account | undefined;
  certificate(accountId: string, certificateId: string): CertificateRecord | undefined;
  /** Policies attached to a principal (a certificate ARN). */
  policiesOf(accountId: string, principalArn: string): readonly PolicyRecord[];
  /** Things a principal is attached to. */
  thingsOf(accountId: string, principalArn: string): readonly ThingRecord[];
  /** The key pair with this access key id, to verify SigV4-signed MQTT-over-WebSocket URLs (aws-iot §4.1). */
  accessKey(accessKeyId: string): AccessKey | undefined;
  /** Returns an unsubscribe function. */
  subscribe(listener: (change: RegistryChange) => void): () => void;
}
