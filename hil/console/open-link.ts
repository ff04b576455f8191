// One way to name a board's console in configuration: a tty path, `tcp://host:port`, or a stream.
import type { Duplex } from "node:stream";
import { DuplexLink } from "./duplex-link.ts";
import type { SerialLink } from "./serial-link.ts";
import { SerialPortLink, type SerialPortLinkOptions } from "./serialport-link.ts";
import { TcpLink } from "./tcp-link.ts";

export type LinkTarget = string | Duplex | SerialLink;

export function isSerialLink(target: LinkTarget): target is SerialLink {
  return typeof target === "object" && "open" in target && "write" in target && "target" in target;
}

/** A link (not yet opened) for a tty path, `tcp://host:port`, an in-process stream, or a link as is. */
export function linkFor(target: LinkTarget, options: SerialPortLinkOptions = {}): SerialLink {
  if (typeof target !== "string") return isSerialLink(target) ? target : new DuplexLink(target);
  if (target.startsWith("tcp://")) return new TcpLink(target);
  return new SerialPortLink(target, options);
}
