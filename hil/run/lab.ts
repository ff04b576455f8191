// What a run works on, whatever it is made of: boards reached through a serial link (plus optional
// power and flashing), and cloud accounts reached through @aws-sdk/client-iot and MQTT.
import type { IoTClient } from "@aws-sdk/client-iot";
import type { Environment } from "../aws/index.ts";
import type { LinkTarget, SerialPortLinkOptions } from "../console/index.ts";

export interface BoardHandle {
  id: string;
  /** What the console opens: a tty path, tcp://host:port or an in-process stream. */
  console: LinkTarget;
  /** For a tty: the ST-LINK's USB serial number, to find the port again after re-enumeration. */
  serial?: SerialPortLinkOptions;
  /** Cuts and restores power (a hub port, a relay, the simulated board); absent when the rack has none. */
  powerCycle?: () => Promise<void>;
  /** Writes a firmware image or profile and lets the board reboot; absent when the rack has no flasher. */
  flash?: (image: { profile?: string; bin?: string }) => Promise<void>;
}

export interface AccountHandle {
  iot: IoTClient;
  env: Environment;
  /** Trust anchors for the data endpoint (the twin's CA); undefined on AWS (Node's store). */
  ca?: string;
}

export interface Lab {
  /** What the report calls the target, e.g. "local twin" or "AWS eu-west-1". */
  target: string;
  boards: BoardHandle[];
  accounts: AccountHandle[];
  /** The access point the boards can join. */
  wifi: { ssid: string; credential: string };
  /** Firmware time per wall time: waits in scenarios are divided by it (1 on real hardware). */
  timeScale: number;
  /** Breaking the cloud itself; only the twin can. */
  stopBroker?: () => Promise<void>;
}
