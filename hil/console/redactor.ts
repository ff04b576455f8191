// Secrets never reach a transcript in clear (design: reliability and security). Bytes are held until a
// line terminator so a secret split across reads (even one byte at a time) is redacted as a whole.

export const REDACTED = "[REDACTED]";

/** A held segment longer than this is released anyway; a console line is at most 128 bytes (§1.3). */
const HOLD_MAX = 8192;

const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
/** `conf get` prints `wifi_credential="X"` (§3.4); the value may itself contain quotes (no escaping). */
const CREDENTIAL_GET = 'wifi_credential="';
/** `conf set wifi_credential X`: the value is the next space-separated token (§1.3, §3.3). */
const CREDENTIAL_SET = /(wifi_credential +)([^ \r\n]+)/g;

export interface Segment {
  /** Epoch milliseconds of the segment's first byte. */
  at: number;
  text: string;
}

/** Redacts one direction of a console stream, segment by segment (a segment ends after CR, LF or Ctrl-C). */
export class StreamRedactor {
  private held = "";
  private heldAt = 0;
  private inPrivateKey = false;

  constructor(private readonly secrets: ReadonlySet<string>) {}

  /** Text (latin1) received at `at`; returns the segments it completes, redacted. */
  push(text: string, at: number): Segment[] {
    const out: Segment[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      // Ctrl-C also ends what the firmware's line reader holds (§1.3).
      if (c !== "\r" && c !== "\n" && c !== "\x03") continue;
      this.hold(text.slice(start, i + 1), at);
      out.push(this.release());
      start = i + 1;
    }
    if (start < text.length) this.hold(text.slice(start), at);
    if (this.held.length > HOLD_MAX) out.push(this.release());
    return out;
  }

  /** The held bytes, redacted, without releasing them (for an export taken mid-line). */
  peek(): Segment | undefined {
    if (this.held === "") return undefined;
    return { at: this.heldAt, text: this.redact(this.held, false) };
  }

  private hold(text: string, at: number): void {
    if (this.held === "") this.heldAt = at;
    this.held += text;
  }

  private release(): Segment {
    const segment = { at: this.heldAt, text: this.redact(this.held, true) };
    this.held = "";
    return segment;
  }

  private redact(segment: string, commit: boolean): string {
    let text = segment;
    let inKey = this.inPrivateKey;
    if (KEY_BEGIN.test(text)) inKey = true;
    else if (KEY_END.test(text)) inKey = false;
    // Key material is base64: every run of it inside the block goes, prompts and terminators stay.
    else if (inKey) text = text.replace(/[A-Za-z0-9+/=]{4,}/g, REDACTED);
    if (commit) this.inPrivateKey = inKey;
    text = redactQuotedCredential(text, commit);
    text = text.replace(CREDENTIAL_SET, (_m, key: string) => `${key}${REDACTED}`);
    for (const secret of this.secrets) text = text.split(secret).join(REDACTED);
    return text;
  }
}

/** Everything between `wifi_credential="` and the line's last quote; to the line end when unsure. */
function redactQuotedCredential(text: string, complete: boolean): string {
  const at = text.indexOf(CREDENTIAL_GET);
  if (at < 0) return text;
  const start = at + CREDENTIAL_GET.length;
  const eol = text.slice(start).search(/[\r\n]/);
  const end = eol < 0 ? text.length : start + eol;
  const quote = text.lastIndexOf('"', end - 1);
  // A partial line may still grow: a quote seen so far may be part of the value.
  const valueEnd = complete && eol >= 0 && quote >= start ? quote : end;
  return `${text.slice(0, start)}${REDACTED}${text.slice(valueEnd)}`;
}
