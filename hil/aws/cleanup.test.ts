// Cleanup, janitor and AwsRun against the IoT Core twin: nothing of a run is left, twice over, and
// a crashed run's leftovers are found by the run id alone (design: "Reliability and security").
import {
  CreatePolicyCommand,
  DetachThingPrincipalCommand,
  GetPolicyCommand,
  ListCertificatesCommand,
  ListThingsCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AwsRun,
  certificateIdOf,
  cleanupRegistration,
  cleanupThing,
  defaultPolicyName,
  janitor,
  leastPrivilegePolicy,
  registerDevice,
} from "./index.ts";
import type { Registration } from "./types.ts";
import { boardIdentity, startTwin, type TwinUnderTest } from "./test-support/twin.ts";

let t: TwinUnderTest;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(async () => {
  await t?.[Symbol.asyncDispose]();
});

/** What of `registrations` still exists: thing names, certificate ids, policy names. */
async function leftovers(iot: IoTClient, registrations: Registration[]) {
  const { things } = await iot.send(new ListThingsCommand({ maxResults: 250 }));
  const { certificates } = await iot.send(new ListCertificatesCommand({ pageSize: 250 }));
  const policies: string[] = [];
  for (const r of registrations) {
    const found = await iot
      .send(new GetPolicyCommand({ policyName: r.policyName }))
      .then(() => true)
      .catch((e: Error) => (e.name === "ResourceNotFoundException" ? false : Promise.reject(e)));
    if (found) policies.push(r.policyName);
  }
  return {
    things: (things ?? [])
      .map((x) => x.thingName)
      .filter((n) => registrations.some((r) => r.thingName === n)),
    certificates: (certificates ?? [])
      .map((c) => c.certificateId)
      .filter((id) => registrations.some((r) => r.certificateId === id)),
    policies,
  };
}

const nothing = { things: [], certificates: [], policies: [] };

describe("cleanup", () => {
  it("removes certificate, thing and the run's policy in order, and a second cleanup finds nothing to do", async () => {
    const iot = t.iot[0]!;
    const r = await registerDevice(iot, boardIdentity("C1"), { runId: "run-cleanup" });
    const report = await cleanupRegistration(iot, r);
    expect(report).toEqual({
      detachedPolicies: [r.policyName],
      deletedCertificates: [r.certificateArn],
      deletedThings: [r.thingName],
      deletedPolicies: [r.policyName],
      kept: [],
    });
    expect(await leftovers(iot, [r])).toEqual(nothing);
    expect(await cleanupRegistration(iot, r)).toEqual({
      detachedPolicies: [],
      deletedCertificates: [],
      deletedThings: [],
      deletedPolicies: [],
      kept: [],
    });
  });

  it("by thing name alone (mar-hil cleanup -t THING) finds the certificate and the run's policy", async () => {
    const iot = t.iot[0]!;
    const r = await registerDevice(iot, boardIdentity("C2"), { runId: "run-by-name" });
    const report = await cleanupThing(iot, r.thingName);
    expect(report.deletedPolicies).toEqual([r.policyName]);
    expect(await leftovers(iot, [r])).toEqual(nothing);
  });

  it("finishes a cleanup a crash interrupted after DetachThingPrincipal", async () => {
    const iot = t.iot[0]!;
    const r = await registerDevice(iot, boardIdentity("C3"), { runId: "run-half" });
    await iot.send(new DetachThingPrincipalCommand({ thingName: r.thingName, principal: r.certificateArn }));
    await cleanupRegistration(iot, r);
    expect(await leftovers(iot, [r])).toEqual(nothing);
  });

  it("detaches but never deletes a named policy the run does not own", async () => {
    const iot = t.iot[0]!;
    const document = JSON.stringify(leastPrivilegePolicy(t.accounts[0]!));
    await iot.send(new CreatePolicyCommand({ policyName: "lab-shared", policyDocument: document }));
    const r = await registerDevice(iot, boardIdentity("C4"), {
      runId: "run-shared",
      policy: { kind: "existing", policyName: "lab-shared" },
    });
    const report = await cleanupRegistration(iot, r);
    expect(report.detachedPolicies).toEqual(["lab-shared"]);
    expect(report.deletedPolicies).toEqual([]);
    expect(await leftovers(iot, [r])).toEqual({ things: [], certificates: [], policies: ["lab-shared"] });
  });
});

describe("AwsRun", () => {
  it("removes everything it registered on dispose, even when the block throws", async () => {
    const iot = t.iot[1]!;
    const registered: Registration[] = [];
    const failing = async () => {
      await using run = new AwsRun({ runId: "run-disposed" });
      registered.push(await run.register(iot, boardIdentity("D1")));
      registered.push(await run.register(iot, boardIdentity("D2")));
      throw new Error("a step failed");
    };
    await expect(failing()).rejects.toThrow("a step failed");
    expect(registered).toHaveLength(2);
    expect(await leftovers(iot, registered)).toEqual(nothing);
  });

  it("removes what a registration that failed half-way created, and nothing that belongs to others", async () => {
    const iot = t.iot[1]!;
    const board = boardIdentity("D3");
    const mark = t.twin.controlPlane.calls().length;
    t.twin.controlPlane.failWithServerErrors({ status: 500, operation: "AttachPolicy" });
    try {
      await using run = new AwsRun({ runId: "run-half-registered", settle: { attempts: 1 } });
      await expect(run.register(iot, board)).rejects.toMatchObject({
        code: "AWS_UNAVAILABLE",
        fault: "cloud",
      });
    } finally {
      t.twin.controlPlane.clearFaults();
    }
    expect(
      t.twin.controlPlane
        .calls()
        .slice(mark)
        .some((c) => c.operation === "CreatePolicy" && c.status === 200),
    ).toBe(true);
    const registration = {
      thingName: board.thingName,
      certificateId: certificateIdOf(board.certificatePem),
      policyName: defaultPolicyName(board.thingName),
    };
    expect(await leftovers(iot, [registration as Registration])).toEqual(nothing);

    // THING_IN_USE: the run's own new certificate goes, the other run's thing and certificate stay.
    const owner = await registerDevice(iot, boardIdentity("D4"), { runId: "run-owner" });
    const intruder = { ...boardIdentity("D5"), thingName: owner.thingName };
    {
      await using run = new AwsRun({ runId: "run-intruder" });
      await expect(run.register(iot, intruder)).rejects.toMatchObject({ code: "THING_IN_USE" });
    }
    const intruderId = certificateIdOf(intruder.certificatePem);
    const left = await leftovers(iot, [owner, { ...owner, certificateId: intruderId } as Registration]);
    expect(left).toEqual({
      things: [owner.thingName],
      certificates: [owner.certificateId],
      policies: [owner.policyName, owner.policyName],
    });
    await cleanupRegistration(iot, owner);
  });
});

describe("janitor", () => {
  it("removes what a crashed run left, by run-id prefix, including a certificate orphaned mid-cleanup; other runs stay", async () => {
    const iot = t.iot[0]!;
    const crashed = [
      await registerDevice(iot, boardIdentity("J1"), { runId: "run-crashed-1" }),
      await registerDevice(iot, boardIdentity("J2"), { runId: "run-crashed-1" }),
      await registerDevice(iot, boardIdentity("J3"), { runId: "run-crashed-1" }),
    ];
    // The crash hit J3's cleanup between DetachThingPrincipal and DeleteCertificate, and J3's thing is gone.
    await iot.send(
      new DetachThingPrincipalCommand({
        thingName: crashed[2]!.thingName,
        principal: crashed[2]!.certificateArn,
      }),
    );
    await cleanupThing(iot, crashed[2]!.thingName);
    const alive = await registerDevice(iot, boardIdentity("J4"), { runId: "run-alive" });

    const report = await janitor(iot, { runIdPrefix: "run-crashed-" });
    expect(report.deletedThings.sort()).toEqual([crashed[0]!.thingName, crashed[1]!.thingName].sort());
    expect(report.deletedCertificates.sort()).toEqual(crashed.map((r) => r.certificateArn).sort());
    expect(await leftovers(iot, crashed)).toEqual(nothing);
    expect(await leftovers(iot, [alive])).toEqual({
      things: [alive.thingName],
      certificates: [alive.certificateId],
      policies: [alive.policyName],
    });
    await cleanupRegistration(iot, alive);
  });

  it("removes runs created before a date and keeps younger ones", async () => {
    const iot = t.iot[1]!;
    const old = await registerDevice(iot, boardIdentity("J5"), {
      runId: "run-old",
      now: () => Date.parse("2024-01-01T00:00:00Z"),
    });
    const recent = await registerDevice(iot, boardIdentity("J6"), { runId: "run-recent" });
    const report = await janitor(iot, { olderThan: new Date(Date.now() - 3_600_000) });
    expect(report.deletedThings).toEqual([old.thingName]);
    expect(await leftovers(iot, [old])).toEqual(nothing);
    expect((await leftovers(iot, [recent])).things).toEqual([recent.thingName]);
    await cleanupRegistration(iot, recent);
  });
});
