// simulator/stlink — the simulated ST-LINK V3 mass-storage drive of each board.
export {
  SimulatedStlink,
  type ProgrammingOutcome,
  type SimulatedStlinkOptions,
  type StlinkWiring,
} from "./simulated-stlink.ts";
export { DETAILS_FILE, DRIVE_LABEL, FAIL_FILE, RESET_REQUEST_FILE } from "./drive-contents.ts";
export { RESET_HALT_FAILED } from "./fail-texts.ts";
export { profileForImage, type ImageIdentity } from "./image-profile.ts";
export { stlinkSerialNumber } from "./serial-number.ts";
