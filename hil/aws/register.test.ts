// MAR registration against the IoT Core twin through the real @aws-sdk/client-iot (aws-iot §1, §3).
import {
  CreatePolicyCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  GetPolicyCommand,
  ListAttachedPoliciesCommand,
  ListCertificatesCommand,
  ListTagsForResourceCommand,
  ListThingPrincipalsCommand,
  RegisterCertificateWithoutCACommand,
  AttachThingPrincipalCommand,
  UpdateCertificateCommand,
} from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AwsError,
  certificateIdOf,
  defaultPolicyName,
  leastPrivilegePolicy,
  registerDevice,
  RUN_ID_ATTRIBUTE,
  RUN_ID_TAG,
} from "./index.ts";
import { boardIdentity, startTwin, type TwinUnderTest } from "./test-support/twin.ts";

let t: TwinUnderTest;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(async () => {
  await t?.[Symbol.asyncDispose]();
});

describe("registerDevice", () => {
  it("registers ACTIVE in SNI_ONLY mode, creates the thing, attaches it and a least-privilege policy, all marked with the run id", async () => {
    const iot = t.iot[0]!;
    const board = boardIdentity("A1");
    const r = await registerDevice(iot, board, { runId: "run-register-1" });

    expect(r.certificateId).toBe(certificateIdOf(board.certificatePem));
    expect(r.accountId).toBe(t.accounts[0]!.accountId);
    expect(r.reused).toEqual({ certificate: false, thing: false, policy: false });
    const { certificateDescription: cert } = await iot.send(
      new DescribeCertificateCommand({ certificateId: r.certificateId }),
    );
    expect(cert).toMatchObject({
      status: "ACTIVE",
      certificateMode: "SNI_ONLY",
      certificateArn: r.certificateArn,
    });

    const thing = await iot.send(new DescribeThingCommand({ thingName: board.thingName }));
    expect(thing.attributes?.[RUN_ID_ATTRIBUTE]).toBe("run-register-1");
    const { principals } = await iot.send(new ListThingPrincipalsCommand({ thingName: board.thingName }));
    expect(principals).toEqual([r.certificateArn]);

    const { policies } = await iot.send(new ListAttachedPoliciesCommand({ target: r.certificateArn }));
    expect(policies?.map((p) => p.policyName)).toEqual([r.policyName]);
    const policy = await iot.send(new GetPolicyCommand({ policyName: r.policyName }));
    expect(JSON.parse(policy.policyDocument ?? "")).toEqual(leastPrivilegePolicy(r));
    const { tags } = await iot.send(new ListTagsForResourceCommand({ resourceArn: r.policyArn }));
    expect(tags).toContainEqual({ Key: RUN_ID_TAG, Value: "run-register-1" });
    const certTags = await iot.send(new ListTagsForResourceCommand({ resourceArn: r.certificateArn }));
    expect(certTags.tags).toContainEqual({ Key: RUN_ID_TAG, Value: "run-register-1" });
  });

  it("is idempotent: a re-run on the same board reuses certificate, thing and policy (409 matched by certificateId)", async () => {
    const iot = t.iot[0]!;
    const board = boardIdentity("A2");
    const first = await registerDevice(iot, board, { runId: "run-idem" });
    // A re-run also re-activates a certificate someone deactivated in between.
    await iot.send(
      new UpdateCertificateCommand({ certificateId: first.certificateId, newStatus: "INACTIVE" }),
    );
    const again = await registerDevice(iot, board, { runId: "run-idem" });

    expect(again).toEqual({ ...first, reused: { certificate: true, thing: true, policy: true } });
    const { certificateDescription } = await iot.send(
      new DescribeCertificateCommand({ certificateId: first.certificateId }),
    );
    expect(certificateDescription?.status).toBe("ACTIVE");
    const { certificates } = await iot.send(new ListCertificatesCommand({ pageSize: 250 }));
    expect(certificates?.filter((c) => c.certificateId === first.certificateId)).toHaveLength(1);
    const { principals } = await iot.send(new ListThingPrincipalsCommand({ thingName: board.thingName }));
    expect(principals).toEqual([first.certificateArn]);
    const { policies } = await iot.send(new ListAttachedPoliciesCommand({ target: first.certificateArn }));
    expect(policies).toHaveLength(1);
  });

  it("replaces its own policy left by an older harness with another document, and refuses to touch someone else's", async () => {
    const iot = t.iot[0]!;
    const board = boardIdentity("B1");
    const policyName = defaultPolicyName(board.thingName);
    const old = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "iot:Connect", Resource: "*" }],
    };
    await iot.send(
      new CreatePolicyCommand({
        policyName,
        policyDocument: JSON.stringify(old),
        tags: [{ Key: RUN_ID_TAG, Value: "run-old" }],
      }),
    );
    const r = await registerDevice(iot, board, { runId: "run-new" });
    const policy = await iot.send(new GetPolicyCommand({ policyName }));
    expect(JSON.parse(policy.policyDocument ?? "")).toEqual(leastPrivilegePolicy(r));
    expect(r).toMatchObject({ policyName, policyOwned: true });

    const foreign = boardIdentity("B2");
    const foreignName = defaultPolicyName(foreign.thingName);
    await iot.send(new CreatePolicyCommand({ policyName: foreignName, policyDocument: JSON.stringify(old) }));
    await expect(registerDevice(iot, foreign, { runId: "run-new" })).rejects.toMatchObject({
      code: "POLICY_CONFLICT",
      fault: "user",
    });
  });

  it("attaches a named existing policy without owning it", async () => {
    const iot = t.iot[0]!;
    const board = boardIdentity("A3");
    const document = JSON.stringify(leastPrivilegePolicy(t.accounts[0]!));
    await iot.send(new CreatePolicyCommand({ policyName: "lab-device-policy", policyDocument: document }));
    const r = await registerDevice(iot, board, {
      runId: "run-named",
      policy: { kind: "existing", policyName: "lab-device-policy" },
    });
    expect(r).toMatchObject({ policyName: "lab-device-policy", policyOwned: false });
    const { policies } = await iot.send(new ListAttachedPoliciesCommand({ target: r.certificateArn }));
    expect(policies?.map((p) => p.policyName)).toEqual(["lab-device-policy"]);
  });

  it("refuses, with stable codes and faults: a missing named policy, a thing bound to another certificate, a revoked certificate, a bad PEM", async () => {
    const iot = t.iot[0]!;
    const missing = registerDevice(iot, boardIdentity("A4"), {
      runId: "run-errors",
      policy: { kind: "existing", policyName: "no-such-policy" },
    });
    await expect(missing).rejects.toMatchObject({ code: "POLICY_NOT_FOUND", fault: "user" });

    const owner = boardIdentity("A5");
    const other = await iot.send(
      new RegisterCertificateWithoutCACommand({ certificatePem: boardIdentity("A6").certificatePem }),
    );
    await registerDevice(iot, owner, { runId: "run-errors" });
    await iot.send(
      new AttachThingPrincipalCommand({ thingName: owner.thingName, principal: other.certificateArn }),
    );
    const taken = registerDevice(
      iot,
      { ...boardIdentity("A7"), thingName: owner.thingName },
      { runId: "run-other" },
    );
    await expect(taken).rejects.toMatchObject({ code: "THING_IN_USE", fault: "user" });

    const revoked = boardIdentity("A8");
    const reg = await registerDevice(iot, revoked, { runId: "run-errors" });
    await iot.send(new UpdateCertificateCommand({ certificateId: reg.certificateId, newStatus: "REVOKED" }));
    await expect(registerDevice(iot, revoked, { runId: "run-errors" })).rejects.toMatchObject({
      code: "CERT_REVOKED",
      fault: "user",
    });

    const bad = registerDevice(
      iot,
      { thingName: "eval3-bad", certificatePem: "not a certificate" },
      { runId: "r" },
    );
    await expect(bad).rejects.toBeInstanceOf(AwsError);
    await expect(bad).rejects.toMatchObject({ code: "CERT_INVALID", fault: "device" });
    await expect(registerDevice(iot, boardIdentity("A9"), { runId: "bad run id" })).rejects.toMatchObject({
      code: "RUN_ID_INVALID",
    });
  });
});
