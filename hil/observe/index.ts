// Public surface of hil/observe: an MQTT observer of a device's account with deadline-bound
// assertions — connected, publications, payload shape, no disconnect — on the twin and on AWS alike.
export type {
  DataTarget,
  Fault,
  LifecycleEvent,
  ObservedMessage,
  ObserverTransport,
  SigningCredentials,
  WaitOptions,
} from "./types.ts";
export { ObserveError, type ObserveErrorCode, type ObserveErrorDetails } from "./errors.ts";
export {
  CA_BUNDLE_VARIABLE,
  clientCredentials,
  MQTT_CONNECT_VARIABLE,
  resolveDataTarget,
  type DataTargetOptions,
} from "./data-target.ts";
export { presignedMqttPath, SIGV4_SERVICE } from "./sigv4-url.ts";
export { MqttObserver, OBSERVER_CLIENT_PREFIX, type ObserverOptions } from "./observer.ts";
export { ObserverIdentity, observerPolicy } from "./observer-identity.ts";
export { selfSignedIdentity, type KeyAndCertificate } from "./self-signed-identity.ts";
export { exactly, optional, parsePayload, payloadMismatches, shapeMismatches, type Shape } from "./shape.ts";
export { topicMatches } from "./topic-filter.ts";
export { lifecycleEvent, presenceFilter } from "./lifecycle.ts";
