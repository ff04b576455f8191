// A host's view of a serial console for tests: write bytes, wait until the received text matches.
// (The HIL console with framing and redaction is hil/console; this is only the tests' probe.)

export interface ByteChannel {
  write(bytes: string): Promise<void>;
  /** Resolves with the text received since the last mark once `pattern` matches it. */
  until(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Forgets what was received so far. */
  mark(): void;
  close(): Promise<void>;
}

export class TextCollector {
  private text = "";
  private waiters: Array<() => void> = [];

  push(bytes: Buffer): void {
    this.text += bytes.toString("latin1");
    for (const w of this.waiters.splice(0)) w();
  }

  mark(): void {
    this.text = "";
  }

  async until(pattern: RegExp | string, timeoutMs = 10_000): Promise<string> {
    const matchEnd = (): number => {
      if (typeof pattern === "string") {
        const at = this.text.indexOf(pattern);
        return at < 0 ? -1 : at + pattern.length;
      }
      const m = pattern.exec(this.text);
      return m ? m.index + m[0].length : -1;
    };
    const started = Date.now();
    for (let end = matchEnd(); end < 0; end = matchEnd()) {
      const left = timeoutMs - (Date.now() - started);
      if (left <= 0) {
        throw new Error(
          `no match for ${String(pattern)} after ${timeoutMs} ms; last received: ${JSON.stringify(this.text.slice(-300))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    // Keep what came after the match for the next wait.
    const end = matchEnd();
    const seen = this.text.slice(0, end);
    this.text = this.text.slice(end);
    return seen;
  }
}
