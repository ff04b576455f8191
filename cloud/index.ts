// Public surface of the IoT Core twin (design: cloud/). Everything else in cloud/ is internal.
export {
  CloudTwin,
  MQTT_CONNECT_ENV,
  startRealDataPlane,
  type CloudDescription,
  type CloudAccountDescription,
  type CloudTwinOptions,
  type DataPlaneContext,
  type DataPlaneHandle,
  type StartDataPlane,
} from "./twin.ts";
export { TwinCa, type ServerCredentials } from "./twin-ca.ts";
export { Registry, type RegistryOptions } from "./registry/registry.ts";
export { ControlPlane, type ControlPlaneOptions, type CallRecord } from "./control-plane/control-plane.ts";
export type { FaultOptions } from "./control-plane/faults.ts";
export type * from "./registry/types.ts";
