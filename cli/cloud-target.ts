// `--cloud local|aws`: which control plane the AWS-facing commands use. Against AWS it is the standard
// chain (env, profile, SSO); against the twin, one account's `env` object.
import type { IoTClient } from "@aws-sdk/client-iot";
import { iotClientFromEnv, type Environment } from "../hil/aws/index.ts";
import { integerOption } from "./args.ts";
import { runningCloudAccount } from "./running-cloud.ts";
import { UsageError } from "./usage-error.ts";

export interface CloudTarget {
  iot: IoTClient;
  env: Environment;
  label: string;
}

export function cloudTarget(o: { cloud?: string; account?: string; state?: string }): CloudTarget {
  const kind = o.cloud ?? "aws";
  if (kind === "aws")
    return { iot: iotClientFromEnv(), env: process.env, label: "AWS (standard credential chain)" };
  if (kind !== "local") throw new UsageError(`--cloud must be local or aws, got '${kind}'`);
  const stateDir = o.state ?? ".mar-hil";
  const index = integerOption(o.account, "account", 0);
  const account = runningCloudAccount(stateDir, index);
  return {
    iot: iotClientFromEnv(account.env),
    env: account.env,
    label: `local twin account ${account.accountId}`,
  };
}

export const CLOUD_OPTIONS = {
  cloud: { type: "string" },
  account: { type: "string" },
  state: { type: "string" },
} as const;
