// The files an ST-LINK V3 mass-storage drive shows when mounted. Texts INFERRED from the ST-LINK/V2-1
// drives (DETAILS.TXT, MBED.HTM); the label DIS_U585AI is the B-U585I-IOT02A's.

export const DRIVE_LABEL = "DIS_U585AI";
export const DETAILS_FILE = "DETAILS.TXT";
export const FAIL_FILE = "FAIL.TXT";
const MBED_FILE = "MBED.HTM";
/** Not on a real drive: how the fake probe tools (test/fixtures/fake-tools) ask this ST-LINK for a reset
 * over SWD, which a real ST-LINK takes over USB. Hidden, so no host sees it as a copied image. */
export const RESET_REQUEST_FILE = ".reset-request";

export function mountedFiles(serialNumber: string): Record<string, string> {
  return {
    [DETAILS_FILE]: `Version: V3J15M7\r\nBuild:   Simulated\r\nSerial:  ${serialNumber}\r\n`,
    [MBED_FILE]:
      '<!doctype html>\r\n<html><head><meta http-equiv="refresh" content="0; URL=https://www.st.com/en/evaluation-tools/b-u585i-iot02a.html"/></head></html>\r\n',
  };
}

/** Files the ST-LINK itself shows; anything else on the drive was copied by the host. */
export function isDriveOwnFile(name: string): boolean {
  return name === DETAILS_FILE || name === FAIL_FILE || name === MBED_FILE;
}
