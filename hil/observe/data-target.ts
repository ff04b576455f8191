// Where the observer connects, from the same configuration as the control plane: the data endpoint
// from DescribeEndpoint(iot:Data-ATS), Region and credentials from the IoTClient's own chain, and
// MAR_HIL_MQTT_CONNECT=host:port (cloud/README.md) to connect elsewhere while keeping the endpoint as SNI.
import { readFileSync } from "node:fs";
import type { IoTClient } from "@aws-sdk/client-iot";
import { dataEndpoint, type Environment } from "../aws/index.ts";
import { ObserveError } from "./errors.ts";
import type { DataTarget, SigningCredentials } from "./types.ts";

/** Ours: connect to this host:port instead of the endpoint, still sending the endpoint as SNI. */
export const MQTT_CONNECT_VARIABLE = "MAR_HIL_MQTT_CONNECT";
/** The AWS CLI's variable for extra trust anchors; read so a twin's CA can be named the AWS way. */
export const CA_BUNDLE_VARIABLE = "AWS_CA_BUNDLE";

export interface DataTargetOptions {
  env?: Environment;
  /** PEM trust anchors (e.g. the twin's `caFile`); default AWS_CA_BUNDLE, else Node's store. */
  ca?: string;
}

export async function resolveDataTarget(
  iot: IoTClient,
  options: DataTargetOptions = {},
): Promise<DataTarget> {
  const env = options.env ?? process.env;
  const endpoint = await dataEndpoint(iot);
  const region = await iot.config.region();
  const connect = parseConnect(env[MQTT_CONNECT_VARIABLE]);
  const caFile = env[CA_BUNDLE_VARIABLE];
  const ca = options.ca ?? (caFile ? readFileSync(caFile, "utf8") : undefined);
  return {
    endpoint,
    host: connect?.host ?? endpoint,
    ...(connect ? { port: connect.port } : {}),
    region,
    ...(ca ? { ca } : {}),
  };
}

/** The IoTClient's resolved credentials (env, profile, SSO, IMDS …), for SigV4 WebSocket signing. */
export function clientCredentials(iot: IoTClient): () => Promise<SigningCredentials> {
  return async () => {
    const c = await iot.config.credentials();
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    };
  };
}

/** `host:port` (or `[v6]:port`) of MAR_HIL_MQTT_CONNECT; undefined when unset. */
export function parseConnect(value: string | undefined): { host: string; port: number } | undefined {
  if (!value) return undefined;
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value.trim());
  const port = Number(m?.[2]);
  if (!m?.[1] || !(port > 0 && port < 65536)) {
    throw new ObserveError("OBSERVER_CONNECT_FAILED", `${MQTT_CONNECT_VARIABLE}=${value} is not host:port`, {
      fault: "user",
    });
  }
  return { host: m[1], port };
}
