// AWS IoT exceptions as the twin answers them (aws-iot §2, §2.1): a stable name, the modelled HTTP
// status, and the extra body members some of them carry.

/** Modelled HTTP status per exception name (aws-iot §2.1), plus what the AWS front end answers for auth. */
export const EXCEPTION_STATUS = {
  InvalidRequestException: 400,
  ThrottlingException: 400,
  CertificateValidationException: 400,
  MalformedPolicyException: 400,
  UnauthorizedException: 401,
  ResourceNotFoundException: 404,
  CertificateStateException: 406,
  ResourceAlreadyExistsException: 409,
  CertificateConflictException: 409,
  DeleteConflictException: 409,
  VersionConflictException: 409,
  VersionsLimitExceededException: 409,
  LimitExceededException: 410,
  InternalFailureException: 500,
  ServiceUnavailableException: 503,
  // Not in the IoT model: the SigV4 layer in front of every AWS JSON service (aws-iot §2).
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  UnknownOperationException: 404,
} as const;

export type ExceptionName = keyof typeof EXCEPTION_STATUS;

export class IotException extends Error {
  readonly status: number;
  /** Who caused it: a bad request is the caller's, a 5xx is the cloud's (style.md rule 6). */
  readonly fault: "user" | "cloud";

  constructor(
    readonly code: ExceptionName,
    message: string,
    /** Extra body members, e.g. resourceId/resourceArn of ResourceAlreadyExistsException (aws-iot §1.3). */
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
    this.status = EXCEPTION_STATUS[code];
    this.fault = this.status >= 500 ? "cloud" : "user";
  }
}

export const invalidRequest = (message: string): IotException =>
  new IotException("InvalidRequestException", message);

export const notFound = (message = "The specified resource does not exist"): IotException =>
  new IotException("ResourceNotFoundException", message);
