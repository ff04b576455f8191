// Non-volatile storage writes that survive power loss whole: the bytes go to a temporary file that
// is renamed over the old one, so a reader sees the old or the new content, never a mix.
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";

export interface WriteFault {
  /** Write this many bytes of the temporary file, then stop as if power was lost before the rename. */
  tornAfterBytes: number;
}

export class PowerLossDuringWrite extends Error {
  readonly code = "POWER_LOSS_DURING_WRITE";
  constructor(path: string) {
    super(`power lost while writing ${path}`);
  }
}

export class AtomicFile {
  private fault: WriteFault | undefined;

  constructor(readonly path: string) {}

  read(): Buffer | undefined {
    try {
      return readFileSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
  }

  write(bytes: Buffer): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    const fault = this.fault;
    this.fault = undefined;
    if (fault) {
      writeFileSync(tmp, bytes.subarray(0, fault.tornAfterBytes), { mode: 0o600 });
      throw new PowerLossDuringWrite(this.path);
    }
    // Zone 1 holds the Wi-Fi credential: readable by its owner only.
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  erase(): void {
    rmSync(this.path, { force: true });
  }

  /** Test control: make the next write stop half-way. */
  injectFault(fault: WriteFault): void {
    this.fault = fault;
  }
}
