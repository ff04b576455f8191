// The one way hil reaches the IoT control plane: @aws-sdk/client-iot configured the standard AWS way
// (credential chain, AWS_REGION, AWS_ENDPOINT_URL_IOT). The twin differs only by that environment.
import { DescribeEndpointCommand, IoTClient, type IoTClientConfig } from "@aws-sdk/client-iot";
import { translate } from "./errors.ts";

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * An IoTClient for `env`. With `process.env` (the default) the SDK resolves everything itself; with
 * another record (e.g. one account's `env` from `mar-hil cloud --json`) its AWS variables are applied
 * explicitly, and credentials fall back to the default chain when the record carries no key pair.
 */
export function iotClientFromEnv(env: Environment = process.env, config: IoTClientConfig = {}): IoTClient {
  if (env === process.env) return new IoTClient(config);
  const endpoint = env.AWS_ENDPOINT_URL_IOT ?? env.AWS_ENDPOINT_URL;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  return new IoTClient({
    ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
    ...config,
  });
}

/** The account's ATS data endpoint, the address devices use as SNI (aws-iot §1.2, §3.5). */
export async function dataEndpoint(iot: IoTClient): Promise<string> {
  try {
    const { endpointAddress } = await iot.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }));
    if (!endpointAddress) throw new Error("DescribeEndpoint returned no endpointAddress");
    return endpointAddress;
  } catch (e) {
    throw translate(e, "DescribeEndpoint(iot:Data-ATS)");
  }
}

/** Region and account of an IoT ARN (`arn:aws:iot:<region>:<account>:<type>/<id>`, aws-iot §1.3). */
export function arnScope(arn: string): { region: string; accountId: string } {
  const [prefix, partition, service, region, accountId] = arn.split(":");
  if (prefix !== "arn" || !partition || service !== "iot" || !region || !accountId) {
    throw new Error(`not an IoT ARN: ${arn}`);
  }
  return { region, accountId };
}
