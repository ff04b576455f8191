// hil/console — the harness side of a board's serial console (issue 5): links, framing, expect, transcript.
export type { SerialLink, SerialLinkEvents } from "./serial-link.ts";
export { DuplexLink, type DuplexLinkOptions } from "./duplex-link.ts";
export { TcpLink, type TcpLinkOptions } from "./tcp-link.ts";
export { SerialPortLink, type PortListing, type SerialPortLinkOptions } from "./serialport-link.ts";
export { linkFor, type LinkTarget } from "./open-link.ts";
export { BoardConsole, type BoardConsoleOptions, type ConsoleSession } from "./board-console.ts";
export type { Reply } from "./exchange.ts";
export type { ExpectOptions, ExpectResult } from "./expect.ts";
export type { Pattern } from "./pattern.ts";
export type { WaitOptions } from "./deadline.ts";
export type { SeenLine } from "./line-history.ts";
export { pemLines, type PemVerdict } from "./pem-paste.ts";
export { reopenWithin, type ReopenOptions, type ReopenReport } from "./reopen.ts";
export { Transcript, type TranscriptEntry } from "./transcript.ts";
export { REDACTED } from "./redactor.ts";
export { ConsoleParser, PROMPT, type ConsoleEvent } from "./console-parser.ts";
export { parseLogLine, type LogLine } from "./log-line.ts";
export { checkLine, LINE_MAX_CHARS, RX_BUFFER_BYTES } from "./line-rules.ts";
export {
  ConsoleError,
  EchoMismatchError,
  ExpectAbortedError,
  ExpectTimeoutError,
  ForbiddenOutputError,
  LineRefusedError,
  PortNotBackError,
  PortNotFoundError,
  RxOverflowError,
  SerialDisconnectedError,
  type Fault,
} from "./errors.ts";
