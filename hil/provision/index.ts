// Public surface of hil/provision: configure a board over its console and read its identity.
export { ProvisionError, type ProvisionErrorCode } from "./errors.ts";
export { stringValueProblem, validateDeviceConfig, type DeviceConfig } from "./device-config.ts";
export { loadConfigFile, parseConfigFile, type ConfigFile } from "./config-file.ts";
export { configureBoard, resetBoard, type ConfigureReport } from "./configure-board.ts";
export { pemFromExport, readIdentity, type BoardIdentity } from "./read-identity.ts";
export { consoleEndpointSwitch } from "./endpoint-switch.ts";
