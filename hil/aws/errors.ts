// Errors of hil/aws: stable codes and a fault (style rule 6). SDK exceptions are translated once,
// here, from their names (aws-iot §2.1) so callers never match on AWS wording.
import type { Fault } from "./types.ts";

export type AwsErrorCode =
  | "AWS_THROTTLED"
  | "AWS_UNAVAILABLE"
  | "AWS_CREDENTIALS"
  | "AWS_REQUEST_FAILED"
  | "CERT_INVALID"
  | "CERT_REVOKED"
  | "CERT_ID_MISMATCH"
  | "THING_IN_USE"
  | "POLICY_NOT_FOUND"
  | "POLICY_CONFLICT"
  | "RUN_ID_INVALID"
  | "CLEANUP_INCOMPLETE"
  | "ACCOUNT_MOVE_FAILED";

const FAULT: Record<AwsErrorCode, Fault> = {
  AWS_THROTTLED: "cloud",
  AWS_UNAVAILABLE: "cloud",
  AWS_CREDENTIALS: "user",
  AWS_REQUEST_FAILED: "cloud",
  CERT_INVALID: "device",
  CERT_REVOKED: "user",
  CERT_ID_MISMATCH: "cloud",
  THING_IN_USE: "user",
  POLICY_NOT_FOUND: "user",
  POLICY_CONFLICT: "user",
  RUN_ID_INVALID: "user",
  CLEANUP_INCOMPLETE: "cloud",
  ACCOUNT_MOVE_FAILED: "device",
};

export class AwsError extends Error {
  override readonly name = "AwsError";
  readonly fault: Fault;

  constructor(
    readonly code: AwsErrorCode,
    message: string,
    options: { cause?: unknown; fault?: Fault } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.fault = options.fault ?? FAULT[code];
  }
}

/** The modelled exception name of an SDK error (`ResourceNotFoundException`, …), if any. */
export function awsErrorName(e: unknown): string | undefined {
  return e instanceof Error ? e.name : undefined;
}

export const isNamed = (e: unknown, ...names: string[]): boolean => names.includes(awsErrorName(e) ?? "");

const CREDENTIAL_ERRORS = [
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "UnauthorizedException",
  "AccessDeniedException",
  "ExpiredTokenException",
  "CredentialsProviderError",
];

/** The SDK error without its raw HTTP response (which would flood reports): name, message, metadata. */
export function lean(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const copy = new Error(e.message);
  copy.name = e.name;
  const metadata = (e as { $metadata?: unknown }).$metadata;
  return metadata === undefined ? copy : Object.assign(copy, { $metadata: metadata });
}

/** Wraps a failed SDK call of `step` (already retried by the SDK, aws-iot §6.2) in an AwsError. */
export function translate(error: unknown, step: string): AwsError {
  if (error instanceof AwsError) return error;
  const e = lean(error);
  const name = awsErrorName(e) ?? "Error";
  const detail = e instanceof Error ? e.message : String(e);
  const status = (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (name === "ThrottlingException") {
    return new AwsError("AWS_THROTTLED", `${step}: throttled after the SDK's retries (${detail})`, {
      cause: e,
    });
  }
  if (CREDENTIAL_ERRORS.includes(name) || status === 403) {
    return new AwsError(
      "AWS_CREDENTIALS",
      `${step}: ${name} — check the AWS credentials, AWS_REGION and AWS_ENDPOINT_URL_IOT (${detail})`,
      { cause: e },
    );
  }
  if ((status !== undefined && status >= 500) || /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND/.test(detail)) {
    return new AwsError(
      "AWS_UNAVAILABLE",
      `${step}: the IoT control plane is unavailable (${name}: ${detail})`,
      {
        cause: e,
      },
    );
  }
  return new AwsError("AWS_REQUEST_FAILED", `${step}: ${name}: ${detail}`, { cause: e });
}
