// The contracts of hil/aws, free of dependencies: what a registration is, what cleanup reports, and
// the board-side hook the account move needs (design: "aws (MAR register, cleanup, move account)").

/** Whose fault a failure is; only the CLI turns it into an exit code (style rule 6). */
export type Fault = "device" | "harness" | "cloud" | "user";

/** What the firmware says about itself: `conf get` thing name and `pki export cert tls_cert`. */
export interface DeviceIdentity {
  thingName: string;
  certificatePem: string;
}

/** Which IoT policy a registration attaches to the certificate. */
export type PolicyChoice =
  /** The least-privilege device policy of aws-iot §4.5 (default), created and owned by the run. */
  | { kind: "least-privilege" }
  /** An existing policy, by name; never modified or deleted. */
  | { kind: "existing"; policyName: string }
  /** A document made for this account, created and owned by the run (e.g. the observer's). */
  | { kind: "document"; policyName?: string; document: (scope: PolicyScope) => unknown };

/** Where a policy applies: its ARNs name the account and Region (aws-iot §4.5). */
export interface PolicyScope {
  region: string;
  accountId: string;
  thingName: string;
}

/** Everything one MAR registration created or reused in one account (aws-iot §3). */
export interface Registration {
  runId: string;
  accountId: string;
  region: string;
  thingName: string;
  thingArn: string;
  /** Lower-case hex SHA-256 of the DER (aws-iot §1.3). */
  certificateId: string;
  certificateArn: string;
  policyName: string;
  policyArn: string;
  /** True when the run created (or adopted) the policy and may delete it once nothing uses it. */
  policyOwned: boolean;
  /** What already existed (a re-run on the same board, aws-iot §1.3 409). */
  reused: { certificate: boolean; thing: boolean; policy: boolean };
}

/** A resource cleanup left in place, and why. */
export interface KeptResource {
  arn: string;
  reason: string;
}

export interface CleanupReport {
  detachedPolicies: string[];
  deletedCertificates: string[];
  deletedThings: string[];
  deletedPolicies: string[];
  kept: KeptResource[];
}

/**
 * The board side of an account move, implemented by others (hil/provision): `conf set mqtt_endpoint`,
 * `conf commit`, `reset`, each verified from the board's answers.
 */
export interface BoardEndpointSwitch {
  pointAt(target: { endpoint: string; accountId: string }, signal: AbortSignal): Promise<void>;
}
