// MAR registration (aws-iot §1.1, §3): RegisterCertificateWithoutCA ACTIVE, CreateThing named by the
// firmware's thing name, AttachThingPrincipal, a policy. Every step is idempotent, so a re-run on
// the same board reuses what is there — the 409s are matched by certificateId, never by wording.
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateThingCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  RegisterCertificateWithoutCACommand,
  UpdateCertificateCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { certificateIdOf } from "./certificate-id.ts";
import { arnScope } from "./client.ts";
import { AwsError, isNamed, lean, translate } from "./errors.ts";
import { ensurePolicy } from "./register-policy.ts";
import { call, listThingPrincipals, tagIfAllowed, unlessMissing } from "./sdk-calls.ts";
import {
  checkRunId,
  CREATED_AT_ATTRIBUTE,
  CREATED_AT_TAG,
  RUN_ID_ATTRIBUTE,
  RUN_ID_TAG,
  timestamp,
} from "./run-id.ts";
import type { DeviceIdentity, PolicyChoice, Registration } from "./types.ts";

export interface RegisterOptions {
  runId: string;
  /** Default: the least-privilege device policy (aws-iot §4.5). */
  policy?: PolicyChoice;
  now?: () => number;
}

/** Registers `device` in the account `iot` manages; safe to repeat. */
export async function registerDevice(
  iot: IoTClient,
  device: DeviceIdentity,
  options: RegisterOptions,
): Promise<Registration> {
  const runId = checkRunId(options.runId);
  const now = options.now ?? Date.now;
  const certificate = await registerCertificate(iot, device.certificatePem);
  const { region, accountId } = arnScope(certificate.certificateArn);
  const createdAt = timestamp(now());
  await tagIfAllowed(iot, certificate.certificateArn, [
    { Key: RUN_ID_TAG, Value: runId },
    { Key: CREATED_AT_TAG, Value: createdAt },
  ]);
  const thing = await ensureThing(iot, device.thingName, certificate.certificateArn, runId, createdAt);
  await call(`AttachThingPrincipal(${device.thingName})`, () =>
    iot.send(
      new AttachThingPrincipalCommand({ thingName: device.thingName, principal: certificate.certificateArn }),
    ),
  );
  const policy = await ensurePolicy(iot, options.policy ?? { kind: "least-privilege" }, {
    scope: { region, accountId, thingName: device.thingName },
    runId,
    createdAt,
    certificateArn: certificate.certificateArn,
  });
  await call(`AttachPolicy(${policy.policyName})`, () =>
    iot.send(new AttachPolicyCommand({ policyName: policy.policyName, target: certificate.certificateArn })),
  );
  return {
    runId,
    accountId,
    region,
    thingName: device.thingName,
    thingArn: thing.thingArn,
    certificateId: certificate.certificateId,
    certificateArn: certificate.certificateArn,
    policyName: policy.policyName,
    policyArn: policy.policyArn,
    policyOwned: policy.owned,
    reused: { certificate: certificate.reused, thing: thing.reused, policy: policy.reused },
  };
}

async function registerCertificate(
  iot: IoTClient,
  certificatePem: string,
): Promise<{ certificateId: string; certificateArn: string; reused: boolean }> {
  const expectedId = certificateIdOf(certificatePem);
  try {
    const r = await iot.send(new RegisterCertificateWithoutCACommand({ certificatePem, status: "ACTIVE" }));
    if (r.certificateId !== expectedId || !r.certificateArn) {
      throw new AwsError(
        "CERT_ID_MISMATCH",
        `RegisterCertificateWithoutCA answered certificateId ${r.certificateId}, expected SHA-256 of the DER ${expectedId}`,
      );
    }
    return { certificateId: expectedId, certificateArn: r.certificateArn, reused: false };
  } catch (e) {
    if (!isNamed(e, "ResourceAlreadyExistsException")) {
      if (isNamed(e, "CertificateValidationException")) {
        throw new AwsError("CERT_INVALID", `AWS refused the device certificate: ${(e as Error).message}`, {
          cause: lean(e),
        });
      }
      throw translate(e, "RegisterCertificateWithoutCA");
    }
    // aws-iot §1.3: the 409 names the registered certificate; same id = same certificate, reuse it.
    const { resourceId, resourceArn } = e as { resourceId?: string; resourceArn?: string };
    if (resourceId !== expectedId || !resourceArn) {
      throw new AwsError(
        "CERT_ID_MISMATCH",
        `RegisterCertificateWithoutCA: 409 names certificate ${resourceId}, not this one (${expectedId})`,
        { cause: lean(e) },
      );
    }
    await activate(iot, expectedId);
    return { certificateId: expectedId, certificateArn: resourceArn, reused: true };
  }
}

/** A reused certificate must be ACTIVE to authenticate (aws-iot §1.4); REVOKED is final. */
async function activate(iot: IoTClient, certificateId: string): Promise<void> {
  const { certificateDescription } = await call(`DescribeCertificate(${certificateId})`, () =>
    iot.send(new DescribeCertificateCommand({ certificateId })),
  );
  const status = certificateDescription?.status;
  if (status === "ACTIVE") return;
  if (status === "REVOKED") {
    throw new AwsError(
      "CERT_REVOKED",
      `certificate ${certificateId} is REVOKED in this account and can never be activated again (aws-iot §1.4); delete it first`,
    );
  }
  await call(`UpdateCertificate(${certificateId}, ACTIVE)`, () =>
    iot.send(new UpdateCertificateCommand({ certificateId, newStatus: "ACTIVE" })),
  );
}

async function ensureThing(
  iot: IoTClient,
  thingName: string,
  certificateArn: string,
  runId: string,
  createdAt: string,
): Promise<{ thingArn: string; reused: boolean }> {
  // Looked up first: CreateThing with equal attributes succeeds silently (aws-iot §3.2), hiding a reuse.
  const existing = await unlessMissing(`DescribeThing(${thingName})`, () =>
    iot.send(new DescribeThingCommand({ thingName })),
  );
  if (existing === undefined) {
    try {
      const attributes = { [RUN_ID_ATTRIBUTE]: runId, [CREATED_AT_ATTRIBUTE]: createdAt };
      const r = await iot.send(new CreateThingCommand({ thingName, attributePayload: { attributes } }));
      return { thingArn: r.thingArn ?? "", reused: false };
    } catch (e) {
      // Created in between by someone else: treated like any existing thing below.
      if (!isNamed(e, "ResourceAlreadyExistsException")) throw translate(e, `CreateThing(${thingName})`);
    }
  }
  // Ours to reuse if no other certificate is attached (a re-run, or a thing made by hand for this board).
  const principals = (await listThingPrincipals(iot, thingName)) ?? [];
  const others = principals.filter((p) => p !== certificateArn);
  if (others.length > 0) {
    throw new AwsError(
      "THING_IN_USE",
      `thing ${thingName} already exists with other certificates attached (${others.join(", ")}); run 'mar-hil cleanup -t ${thingName}' if it is a leftover`,
    );
  }
  const thing =
    existing ??
    (await call(`DescribeThing(${thingName})`, () => iot.send(new DescribeThingCommand({ thingName }))));
  return { thingArn: thing.thingArn ?? "", reused: true };
}
