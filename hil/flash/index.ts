// hil/flash — writing a firmware image to a board four ways, and seeing it boot (issue 6).
export {
  FLASH_METHODS,
  type FirmwareImage,
  type Flasher,
  type FlashMethod,
  type FlashOptions,
  type FlashReport,
} from "./flasher.ts";
export { MassStorageFlasher, type MassStorageOptions } from "./mass-storage.ts";
export { ToolFlasher, type ToolFlasherOptions } from "./tool-flasher.ts";
export {
  TOOL_COMMANDS,
  RESET_COMMANDS,
  FLASH_ADDRESS,
  type ToolCommand,
  type ToolMethod,
} from "./tool-commands.ts";
export { ProbeReset, type ProbeResetOptions, type ProbeResetReport } from "./probe-reset.ts";
export { loadImage } from "./image-file.ts";
export { awaitBoot, BOOT_BANNER, type AwaitBootOptions, type BootReport } from "./await-boot.ts";
export { flashBoard, type FlashBoardOptions, type FlashBoardReport } from "./flash-board.ts";
export { runTool, errorLine, type ToolRun, type ToolResult } from "./run-tool.ts";
export {
  DriveNotFoundError,
  FlashAbortedError,
  FlashError,
  FlashFailedError,
  FlashTimeoutError,
  ImageRejectedError,
  NoBootAfterFlashError,
  ProbeResetFailedError,
  ToolMissingError,
} from "./errors.ts";
