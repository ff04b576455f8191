// aws-iot §3.2, §3.3 through the real @aws-sdk/client-iot.
import {
  AttachThingPrincipalCommand,
  CreateThingCommand,
  DeleteThingCommand,
  DescribeThingCommand,
  DetachThingPrincipalCommand,
  ListPrincipalThingsCommand,
  ListThingPrincipalsCommand,
  ListThingsCommand,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { failure, startTestTwin, type TestTwin, newCertArn } from "./test-kit.ts";

let twin: TestTwin;
let a: IoTClient;
let b: IoTClient;

beforeEach(async () => {
  twin = await startTestTwin();
  [a, b] = twin.clients as [IoTClient, IoTClient];
});
afterEach(() => twin.close());

describe("CreateThing / DescribeThing", () => {
  it("creates a thing, is idempotent for the same attributes and 409 for different ones", async () => {
    const attributePayload = { attributes: { board: "b-u585i", run: "r1" } };
    const first = await a.send(new CreateThingCommand({ thingName: "eval3-0209", attributePayload }));
    const [accountA] = twin.registry.identities();
    expect(first.thingArn).toBe(`arn:aws:iot:${accountA?.region}:${accountA?.accountId}:thing/eval3-0209`);
    expect(first.thingId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await a.send(new CreateThingCommand({ thingName: "eval3-0209", attributePayload }));
    expect(again.thingId).toBe(first.thingId);
    const e = await failure(
      a.send(
        new CreateThingCommand({ thingName: "eval3-0209", attributePayload: { attributes: { run: "r2" } } }),
      ),
    );
    expect(e.name).toBe("ResourceAlreadyExistsException");
    expect(e.$metadata.httpStatusCode).toBe(409);
    expect(e.message).toBe("Thing eval3-0209 already exists in account with different attributes");
    const d = await a.send(new DescribeThingCommand({ thingName: "eval3-0209" }));
    expect(d).toMatchObject({
      defaultClientId: "eval3-0209",
      thingName: "eval3-0209",
      thingId: first.thingId,
      thingArn: first.thingArn,
      attributes: attributePayload.attributes,
      version: 1,
    });
    // Things are per account (aws-iot §1.1).
    expect((await failure(b.send(new DescribeThingCommand({ thingName: "eval3-0209" })))).name).toBe(
      "ResourceNotFoundException",
    );
  });

  it("refuses bad names, bad attributes, more than 3 attributes and unknown thing types", async () => {
    const badName = await failure(a.send(new CreateThingCommand({ thingName: "bad name!" })));
    expect(badName.name).toBe("InvalidRequestException");
    expect(badName.$metadata.httpStatusCode).toBe(400);
    expect(badName.message).toContain("[a-zA-Z0-9:_-]+");
    expect((await failure(a.send(new CreateThingCommand({ thingName: "x".repeat(129) })))).name).toBe(
      "InvalidRequestException",
    );
    const badValue = await failure(
      a.send(
        new CreateThingCommand({ thingName: "t", attributePayload: { attributes: { k: "white space" } } }),
      ),
    );
    expect(badValue.name).toBe("InvalidRequestException");
    const four = { a: "1", b: "2", c: "3", d: "4" };
    expect(
      (
        await failure(
          a.send(new CreateThingCommand({ thingName: "t", attributePayload: { attributes: four } })),
        )
      ).name,
    ).toBe("InvalidRequestException");
    expect(
      (await failure(a.send(new CreateThingCommand({ thingName: "t", thingTypeName: "sensor" })))).name,
    ).toBe("ResourceNotFoundException");
  });
});

describe("ListThings", () => {
  it("pages by name with nextToken omitted on the last page and filters by attribute", async () => {
    for (let i = 0; i < 12; i++) {
      const attributes = { run: i % 2 === 0 ? "even" : "odd", n: `n${i}` };
      await a.send(
        new CreateThingCommand({
          thingName: `thing-${String(i).padStart(2, "0")}`,
          attributePayload: { attributes },
        }),
      );
    }
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await a.send(new ListThingsCommand({ maxResults: 5, nextToken }));
      names.push(...(page.things ?? []).map((t) => t.thingName ?? ""));
      expect(page.things?.[0]).toHaveProperty("version", 1);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual([...Array(12).keys()].map((i) => `thing-${String(i).padStart(2, "0")}`));
    const odd = await a.send(new ListThingsCommand({ attributeName: "run", attributeValue: "odd" }));
    expect(odd.things).toHaveLength(6);
    expect(odd.nextToken).toBeUndefined();
    const prefix = await a.send(
      new ListThingsCommand({ attributeName: "n", attributeValue: "n1", usePrefixAttributeValue: true }),
    );
    expect(prefix.things?.map((t) => t.thingName)).toEqual(["thing-01", "thing-10", "thing-11"]);
  });
});

describe("DeleteThing", () => {
  it("succeeds for a missing thing, checks expectedVersion, refuses while a principal is attached", async () => {
    await a.send(new DeleteThingCommand({ thingName: "never-created" }));
    await a.send(new CreateThingCommand({ thingName: "t1" }));
    const version = await failure(a.send(new DeleteThingCommand({ thingName: "t1", expectedVersion: 7 })));
    expect(version.name).toBe("VersionConflictException");
    expect(version.$metadata.httpStatusCode).toBe(409);
    const arn = await newCertArn(a);
    await a.send(new AttachThingPrincipalCommand({ thingName: "t1", principal: arn }));
    const attached = await failure(a.send(new DeleteThingCommand({ thingName: "t1" })));
    expect(attached.name).toBe("InvalidRequestException");
    expect(attached.$metadata.httpStatusCode).toBe(400);
    expect(attached.message).toBe("Cannot delete. Thing t1 is still attached to one or more principals");
    await a.send(new DetachThingPrincipalCommand({ thingName: "t1", principal: arn }));
    await a.send(new DeleteThingCommand({ thingName: "t1", expectedVersion: 1 }));
    expect((await failure(a.send(new DescribeThingCommand({ thingName: "t1" })))).name).toBe(
      "ResourceNotFoundException",
    );
  });
});

describe("thing ↔ principal", () => {
  it("attaches, lists both ways, re-attaches idempotently and detaches", async () => {
    const arn = await newCertArn(a);
    await a.send(new CreateThingCommand({ thingName: "t1" }));
    await a.send(new CreateThingCommand({ thingName: "t2" }));
    await a.send(new AttachThingPrincipalCommand({ thingName: "t1", principal: arn }));
    await a.send(new AttachThingPrincipalCommand({ thingName: "t1", principal: arn }));
    await a.send(new AttachThingPrincipalCommand({ thingName: "t2", principal: arn }));
    expect((await a.send(new ListThingPrincipalsCommand({ thingName: "t1" }))).principals).toEqual([arn]);
    expect((await a.send(new ListPrincipalThingsCommand({ principal: arn }))).things).toEqual(["t1", "t2"]);
    const paged = await a.send(new ListPrincipalThingsCommand({ principal: arn, maxResults: 1 }));
    expect(paged.things).toEqual(["t1"]);
    expect(paged.nextToken).toBeDefined();
    const accountId = twin.registry.identities()[0]?.accountId ?? "";
    expect(twin.registry.thingsOf(accountId, arn).map((t) => t.thingName)).toEqual(["t1", "t2"]);
    await a.send(new DetachThingPrincipalCommand({ thingName: "t1", principal: arn }));
    expect((await a.send(new ListThingPrincipalsCommand({ thingName: "t1" }))).principals).toEqual([]);
    expect((await a.send(new ListPrincipalThingsCommand({ principal: arn }))).things).toEqual(["t2"]);
  });

  it("answers 404 for an unknown thing or certificate, 400 for a principal that is not an ARN", async () => {
    const arn = await newCertArn(a);
    const noThing = await failure(
      a.send(new AttachThingPrincipalCommand({ thingName: "ghost", principal: arn })),
    );
    expect(noThing.name).toBe("ResourceNotFoundException");
    await a.send(new CreateThingCommand({ thingName: "t1" }));
    const otherAccountCert = await newCertArn(b);
    expect(
      (
        await failure(
          a.send(new AttachThingPrincipalCommand({ thingName: "t1", principal: otherAccountCert })),
        )
      ).name,
    ).toBe("ResourceNotFoundException");
    expect(
      (await failure(a.send(new AttachThingPrincipalCommand({ thingName: "t1", principal: "not-an-arn" }))))
        .name,
    ).toBe("InvalidRequestException");
    const list = await failure(a.send(new ListThingPrincipalsCommand({ thingName: "ghost" })));
    expect(list.name).toBe("ResourceNotFoundException");
    expect(list.message).toContain("does not exist in your account");
  });
});
