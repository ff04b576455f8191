// Public surface of hil/aws: MAR registration, cleanup, janitor and account move through
// @aws-sdk/client-iot — the same code for the IoT Core twin and a real AWS account.
export type {
  BoardEndpointSwitch,
  CleanupReport,
  DeviceIdentity,
  Fault,
  KeptResource,
  PolicyChoice,
  PolicyScope,
  Registration,
} from "./types.ts";
export { AwsError, type AwsErrorCode } from "./errors.ts";
export { arnScope, dataEndpoint, iotClientFromEnv, type Environment } from "./client.ts";
export { certificateIdOf } from "./certificate-id.ts";
export { defaultPolicyName, deviceTopics, leastPrivilegePolicy } from "./policy.ts";
export {
  checkRunId,
  CREATED_AT_ATTRIBUTE,
  CREATED_AT_TAG,
  newRunId,
  RUN_ID_ATTRIBUTE,
  RUN_ID_TAG,
} from "./run-id.ts";
export { registerDevice, type RegisterOptions } from "./register.ts";
export { cleanupRegistration, cleanupThing, type CleanupOptions } from "./cleanup.ts";
export { janitor, type JanitorCriteria, type JanitorOptions, type JanitorReport } from "./janitor.ts";
export {
  AccountMoveError,
  deregisterFromAccount,
  moveAccount,
  registerInAccount,
  type MoveAccountOptions,
  type MoveResult,
} from "./move.ts";
export { AwsRun, type AwsRunOptions } from "./aws-run.ts";
export type { SettleOptions } from "./settle.ts";
