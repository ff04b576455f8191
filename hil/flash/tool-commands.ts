// The default command line of each probe tool, the line that proves success, and what to install.
// A rack entry may replace the command line (flash.command); {bin}, {serial} and {address} are filled in.

export type ToolMethod = "cubeprogrammer" | "openocd" | "pyocd";

export interface ToolCommand {
  argv: readonly string[];
  installHint: string;
}

export const FLASH_ADDRESS = "0x08000000";

export const TOOL_COMMANDS: Readonly<Record<ToolMethod, ToolCommand>> = {
  // STM32CubeProgrammer CLI (UM2237): probe by serial number, write at the flash base, verify, reset.
  cubeprogrammer: {
    argv: ["STM32_Programmer_CLI", "-c", "port=SWD", "sn={serial}", "-w", "{bin}", "{address}", "-v", "-rst"],
    installHint:
      "install STM32CubeProgrammer (https://www.st.com/en/development-tools/stm32cubeprog.html) and put its bin/ folder on PATH",
  },
  // OpenOCD >= 0.12 ships target/stm32u5x.cfg; `program … verify reset exit` writes, checks and runs.
  openocd: {
    argv: [
      "openocd",
      "-f",
      "interface/stlink.cfg",
      "-c",
      "adapter serial {serial}",
      "-f",
      "target/stm32u5x.cfg",
      "-c",
      "program {bin} {address} verify reset exit",
    ],
    installHint: "install OpenOCD 0.12 or later (apt-get install -y openocd)",
  },
  // pyOCD resets the target after `flash`; the STM32U5 needs its CMSIS pack.
  pyocd: {
    argv: ["pyocd", "flash", "-t", "stm32u585aiix", "-u", "{serial}", "--base-address", "{address}", "{bin}"],
    installHint: "install pyOCD and the STM32U5 pack (pipx install pyocd && pyocd pack install stm32u585)",
  },
};

/** The probe's reset alone (rack.yaml `reset: probe`): the MCU restarts, the ST-LINK and its USB stay. */
export const RESET_COMMANDS: Readonly<Record<ToolMethod, readonly string[]>> = {
  // UM2237: -rst is a system reset through the debug port (-hardRst would pulse NRST).
  cubeprogrammer: ["STM32_Programmer_CLI", "-c", "port=SWD", "sn={serial}", "-rst"],
  openocd: [
    "openocd",
    "-f",
    "interface/stlink.cfg",
    "-c",
    "adapter serial {serial}",
    "-f",
    "target/stm32u5x.cfg",
    "-c",
    "init; reset run; shutdown",
  ],
  pyocd: ["pyocd", "reset", "-u", "{serial}", "-t", "stm32u585aiix"],
};

export function fillCommand(
  argv: readonly string[],
  values: Partial<Record<"bin" | "serial" | "address", string>>,
): string[] {
  return argv.map((a) =>
    a.replace(/\{(bin|serial|address)\}/g, (m, key: keyof typeof values) => values[key] ?? m),
  );
}
