// aws-iot §3.4, §3.5 through the real @aws-sdk/client-iot.
import {
  ListPoliciesCommand,
  AttachPolicyCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DeletePolicyCommand,
  DescribeEndpointCommand,
  DetachPolicyCommand,
  GetPolicyCommand,
  ListAttachedPoliciesCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clientFor, failure, startTestTwin, type TestTwin, newCertArn } from "./test-kit.ts";

let twin: TestTwin;
let a: IoTClient;
let b: IoTClient;

beforeEach(async () => {
  twin = await startTestTwin();
  [a, b] = twin.clients as [IoTClient, IoTClient];
});
afterEach(() => twin.close());

const LEAST_PRIVILEGE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: "iot:Connect",
      Resource: "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}",
      Condition: { Bool: { "iot:Connection.Thing.IsAttached": "true" } },
    },
    {
      Effect: "Allow",
      Action: ["iot:Publish"],
      Resource: ["arn:aws:iot:us-east-1:123456789012:topic/${iot:Connection.Thing.ThingName}/*"],
    },
  ],
});

describe("CreatePolicy / GetPolicy / DeletePolicy", () => {
  it("creates, reads back and deletes a policy; a duplicate name is 409", async () => {
    const out = await a.send(
      new CreatePolicyCommand({ policyName: "device-policy", policyDocument: LEAST_PRIVILEGE }),
    );
    const [accountA] = twin.registry.identities();
    expect(out).toMatchObject({
      policyName: "device-policy",
      policyArn: `arn:aws:iot:${accountA?.region}:${accountA?.accountId}:policy/device-policy`,
      policyDocument: LEAST_PRIVILEGE,
      policyVersionId: "1",
    });
    const got = await a.send(new GetPolicyCommand({ policyName: "device-policy" }));
    expect(got.policyDocument).toBe(LEAST_PRIVILEGE);
    expect(got.defaultVersionId).toBe("1");
    expect(got.creationDate).toBeInstanceOf(Date);
    const dup = await failure(
      a.send(new CreatePolicyCommand({ policyName: "device-policy", policyDocument: LEAST_PRIVILEGE })),
    );
    expect(dup.name).toBe("ResourceAlreadyExistsException");
    expect(dup.message).toBe("Policy cannot be created - name already exists (name=device-policy)");
    expect(dup.resourceArn).toBe(out.policyArn);
    // The same name in another account is another policy (aws-iot §4.5: each account its own copy).
    await b.send(new CreatePolicyCommand({ policyName: "device-policy", policyDocument: LEAST_PRIVILEGE }));
    await a.send(new DeletePolicyCommand({ policyName: "device-policy" }));
    expect((await failure(a.send(new GetPolicyCommand({ policyName: "device-policy" })))).name).toBe(
      "ResourceNotFoundException",
    );
    expect(
      (await failure(a.send(new DeletePolicyCommand({ policyName: "device-policy" })))).$metadata
        .httpStatusCode,
    ).toBe(404);
  });

  it("answers MalformedPolicyException for documents that are not valid policies", async () => {
    const cases = [
      "not json",
      JSON.stringify({ Statement: [{ Effect: "Allow", Action: "iot:*", Resource: "*" }] }),
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Maybe", Action: "iot:*", Resource: "*" }],
      }),
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Resource: "*" }] }),
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iot:*" }] }),
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "iot:*", Resource: "x".repeat(2100) }],
      }),
    ];
    for (const [i, policyDocument] of cases.entries()) {
      const e = await failure(a.send(new CreatePolicyCommand({ policyName: `p${i}`, policyDocument })));
      expect(e.name, policyDocument.slice(0, 60)).toBe("MalformedPolicyException");
      expect(e.$metadata.httpStatusCode).toBe(400);
    }
    expect(
      (
        await failure(
          a.send(new CreatePolicyCommand({ policyName: "bad name", policyDocument: LEAST_PRIVILEGE })),
        )
      ).name,
    ).toBe("InvalidRequestException");
  });
});

describe("ListPolicies", () => {
  it("lists the account's policies by name, paged, in either order, and nothing of another account", async () => {
    for (const name of ["p-b", "p-a", "p-c"]) {
      await a.send(new CreatePolicyCommand({ policyName: name, policyDocument: LEAST_PRIVILEGE }));
    }
    await b.send(new CreatePolicyCommand({ policyName: "p-other", policyDocument: LEAST_PRIVILEGE }));
    const first = await a.send(new ListPoliciesCommand({ pageSize: 2 }));
    expect(first.policies?.map((p) => p.policyName)).toEqual(["p-a", "p-b"]);
    expect(first.policies?.[0]?.policyArn).toMatch(/:policy\/p-a$/);
    const second = await a.send(new ListPoliciesCommand({ pageSize: 2, marker: first.nextMarker }));
    expect(second.policies?.map((p) => p.policyName)).toEqual(["p-c"]);
    expect(second.nextMarker).toBeUndefined();
    const descending = await a.send(new ListPoliciesCommand({ ascendingOrder: false }));
    expect(descending.policies?.map((p) => p.policyName)).toEqual(["p-c", "p-b", "p-a"]);
  });
});

describe("AttachPolicy / DetachPolicy / ListAttachedPolicies / ListTargetsForPolicy", () => {
  it("attaches to a certificate ARN, lists by ARN in the path, refuses deletion while attached", async () => {
    const arn = await newCertArn(a);
    await a.send(new CreatePolicyCommand({ policyName: "p1", policyDocument: LEAST_PRIVILEGE }));
    await a.send(new CreatePolicyCommand({ policyName: "p2", policyDocument: LEAST_PRIVILEGE }));
    await a.send(new AttachPolicyCommand({ policyName: "p2", target: arn }));
    await a.send(new AttachPolicyCommand({ policyName: "p1", target: arn }));
    await a.send(new AttachPolicyCommand({ policyName: "p1", target: arn }));
    const attached = await a.send(new ListAttachedPoliciesCommand({ target: arn }));
    expect(attached.policies?.map((p) => p.policyName)).toEqual(["p1", "p2"]);
    expect(attached.policies?.[0]?.policyArn).toMatch(/:policy\/p1$/);
    const firstPage = await a.send(
      new ListAttachedPoliciesCommand({ target: arn, pageSize: 1, recursive: false }),
    );
    expect(firstPage.policies?.map((p) => p.policyName)).toEqual(["p1"]);
    const secondPage = await a.send(
      new ListAttachedPoliciesCommand({ target: arn, pageSize: 1, marker: firstPage.nextMarker }),
    );
    expect(secondPage.policies?.map((p) => p.policyName)).toEqual(["p2"]);
    expect(secondPage.nextMarker).toBeUndefined();
    expect((await a.send(new ListTargetsForPolicyCommand({ policyName: "p1" }))).targets).toEqual([arn]);
    const accountId = twin.registry.identities()[0]?.accountId ?? "";
    expect(
      twin.registry
        .policiesOf(accountId, arn)
        .map((p) => p.policyName)
        .sort(),
    ).toEqual(["p1", "p2"]);

    const conflict = await failure(a.send(new DeletePolicyCommand({ policyName: "p1" })));
    expect(conflict.name).toBe("DeleteConflictException");
    expect(conflict.$metadata.httpStatusCode).toBe(409);
    await a.send(new DetachPolicyCommand({ policyName: "p1", target: arn }));
    await a.send(new DetachPolicyCommand({ policyName: "p1", target: arn }));
    expect((await a.send(new ListTargetsForPolicyCommand({ policyName: "p1" }))).targets).toEqual([]);
    await a.send(new DeletePolicyCommand({ policyName: "p1" }));
  });

  it("answers 404 for unknown policies and targets, 410 beyond 10 policies on a target", async () => {
    const arn = await newCertArn(a);
    expect((await failure(a.send(new AttachPolicyCommand({ policyName: "ghost", target: arn })))).name).toBe(
      "ResourceNotFoundException",
    );
    await a.send(new CreatePolicyCommand({ policyName: "p0", policyDocument: LEAST_PRIVILEGE }));
    const foreign = await newCertArn(b);
    expect((await failure(a.send(new AttachPolicyCommand({ policyName: "p0", target: foreign })))).name).toBe(
      "ResourceNotFoundException",
    );
    expect((await failure(a.send(new ListAttachedPoliciesCommand({ target: foreign })))).name).toBe(
      "ResourceNotFoundException",
    );
    expect((await failure(a.send(new ListTargetsForPolicyCommand({ policyName: "ghost" })))).name).toBe(
      "ResourceNotFoundException",
    );
    for (let i = 1; i <= 10; i++) {
      await a.send(new CreatePolicyCommand({ policyName: `p${i}`, policyDocument: LEAST_PRIVILEGE }));
    }
    for (let i = 0; i < 10; i++) await a.send(new AttachPolicyCommand({ policyName: `p${i}`, target: arn }));
    // Newer SDKs retry LimitExceededException as throttling (aws-iot §6.2); one attempt shows the answer.
    const once = clientFor(twin.plane, twin.registry, 0, { maxAttempts: 1 });
    const limit = await failure(once.send(new AttachPolicyCommand({ policyName: "p10", target: arn })));
    once.destroy();
    expect(twin.plane.calls("AttachPolicy").at(-1)?.status).toBe(410);
    expect(limit.name).toBe("LimitExceededException");
    expect(limit.$metadata.httpStatusCode).toBe(410);
  });
});

describe("DescribeEndpoint", () => {
  it("answers the stable ATS host for iot:Data-ATS, the legacy host without a type, 400 for unknown types", async () => {
    const [accountA, accountB] = twin.registry.identities();
    const ats = await a.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }));
    expect(ats.endpointAddress).toMatch(/^[a-z0-9]{14}-ats\.iot\.us-east-1\.amazonaws\.com$/);
    expect(ats.endpointAddress).toBe(`${accountA?.endpointPrefix}-ats.iot.${accountA?.region}.amazonaws.com`);
    expect(
      (await a.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }))).endpointAddress,
    ).toBe(ats.endpointAddress);
    expect((await a.send(new DescribeEndpointCommand({}))).endpointAddress).toBe(
      `${accountA?.endpointPrefix}.iot.${accountA?.region}.amazonaws.com`,
    );
    const other = await b.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }));
    expect(other.endpointAddress).toBe(
      `${accountB?.endpointPrefix}-ats.iot.${accountB?.region}.amazonaws.com`,
    );
    expect(other.endpointAddress).not.toBe(ats.endpointAddress);
    expect(twin.registry.accountByEndpoint(other.endpointAddress?.toUpperCase() ?? "")?.accountId).toBe(
      accountB?.accountId,
    );
    const bad = await failure(a.send(new DescribeEndpointCommand({ endpointType: "iot:Nope" })));
    expect(bad.name).toBe("InvalidRequestException");
  });
});

describe("TagResource / UntagResource / ListTagsForResource", () => {
  it("tags things, policies and certificates; 404 for unknown resources", async () => {
    const thing = await a.send(new CreateThingCommand({ thingName: "t1" }));
    const policy = await a.send(
      new CreatePolicyCommand({
        policyName: "p",
        policyDocument: LEAST_PRIVILEGE,
        tags: [{ Key: "run", Value: "r0" }],
      }),
    );
    const cert = await newCertArn(a);
    for (const arn of [thing.thingArn ?? "", policy.policyArn ?? "", cert]) {
      await a.send(
        new TagResourceCommand({
          resourceArn: arn,
          tags: [
            { Key: "run", Value: "r1" },
            { Key: "owner", Value: "ci" },
          ],
        }),
      );
      expect((await a.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
        { Key: "owner", Value: "ci" },
        { Key: "run", Value: "r1" },
      ]);
      await a.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["owner"] }));
      expect((await a.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
        { Key: "run", Value: "r1" },
      ]);
    }
    const missing = await failure(
      a.send(
        new TagResourceCommand({
          resourceArn: thing.thingArn?.replace("t1", "t9"),
          tags: [{ Key: "k", Value: "v" }],
        }),
      ),
    );
    expect(missing.name).toBe("ResourceNotFoundException");
    expect((await failure(a.send(new ListTagsForResourceCommand({ resourceArn: "nope" })))).name).toBe(
      "InvalidRequestException",
    );
    expect(
      (
        await failure(
          a.send(new TagResourceCommand({ resourceArn: cert, tags: [{ Key: "aws:x", Value: "v" }] })),
        )
      ).name,
    ).toBe("InvalidRequestException");
  });
});
