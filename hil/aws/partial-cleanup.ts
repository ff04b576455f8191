// A registration that failed half-way leaves resources no Registration names. They carry the run id
// (run-id.ts), so they are found by it — and only they are removed, never a thing or certificate
// that belongs to someone else (e.g. after THING_IN_USE).
import {
  DescribeCertificateCommand,
  DescribeThingCommand,
  GetPolicyCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { certificateIdOf } from "./certificate-id.ts";
import { cleanupThing, deletePolicyIfUnused, emptyReport, removeCertificate } from "./cleanup.ts";
import { defaultPolicyName } from "./policy.ts";
import { RUN_ID_ATTRIBUTE, RUN_ID_TAG } from "./run-id.ts";
import { tagsOf, unlessMissing } from "./sdk-calls.ts";
import type { SettleOptions } from "./settle.ts";
import type { CleanupReport, DeviceIdentity } from "./types.ts";

export async function cleanupPartialRegistration(
  iot: IoTClient,
  device: DeviceIdentity,
  runId: string,
  /** policyName: the run's policy (default: the thing's default name); false when the run owns none. */
  options: { policyName?: string | false; settle?: SettleOptions } = {},
): Promise<CleanupReport> {
  const report = await removeThingAndCertificate(iot, device, runId, options.settle);
  // A policy created but never attached is named by the choice, or by default after the thing.
  const policyName = options.policyName ?? defaultPolicyName(device.thingName);
  if (policyName === false) return report;
  const policy = await unlessMissing(`GetPolicy(${policyName})`, () =>
    iot.send(new GetPolicyCommand({ policyName })),
  );
  if (policy?.policyArn && (await tagsOf(iot, policy.policyArn))?.get(RUN_ID_TAG) === runId) {
    await deletePolicyIfUnused(iot, policyName, true, report, options.settle);
  }
  return report;
}

async function removeThingAndCertificate(
  iot: IoTClient,
  device: DeviceIdentity,
  runId: string,
  settle: SettleOptions | undefined,
): Promise<CleanupReport> {
  let certificateArn: string | undefined;
  try {
    const certificateId = certificateIdOf(device.certificatePem);
    const described = await unlessMissing(`DescribeCertificate(${certificateId})`, () =>
      iot.send(new DescribeCertificateCommand({ certificateId })),
    );
    certificateArn = described?.certificateDescription?.certificateArn;
  } catch {
    certificateArn = undefined; // not even a certificate: nothing was registered
  }
  const certificateOurs =
    certificateArn !== undefined && (await tagsOf(iot, certificateArn))?.get(RUN_ID_TAG) === runId;
  const thing = await unlessMissing(`DescribeThing(${device.thingName})`, () =>
    iot.send(new DescribeThingCommand({ thingName: device.thingName })),
  );
  if (thing?.attributes?.[RUN_ID_ATTRIBUTE] === runId) {
    return cleanupThing(iot, device.thingName, {
      certificateArns: certificateOurs && certificateArn ? [certificateArn] : [],
      ...(settle ? { settle } : {}),
    });
  }
  const report = emptyReport();
  if (certificateOurs && certificateArn) {
    for (const policy of await removeCertificate(iot, certificateArn, undefined, report, settle)) {
      await deletePolicyIfUnused(iot, policy, false, report, settle);
    }
  }
  return report;
}
