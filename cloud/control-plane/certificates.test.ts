// aws-iot §1.3, §1.4, §3.1 through the real @aws-sdk/client-iot.
import { createHash } from "node:crypto";
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  DetachThingPrincipalCommand,
  ListCertificatesCommand,
  RegisterCertificateCommand,
  RegisterCertificateWithoutCACommand,
  UpdateCertificateCommand,
  type CertificateStatus,
  type IoTClient,
} from "@aws-sdk/client-iot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deviceCertificate, failure, startTestTwin, type TestTwin } from "./test-kit.ts";

let twin: TestTwin;
let a: IoTClient;
let b: IoTClient;

beforeEach(async () => {
  twin = await startTestTwin();
  [a, b] = twin.clients as [IoTClient, IoTClient];
});
afterEach(() => twin.close());

const register = (client: IoTClient, pem: string, status?: CertificateStatus) =>
  client.send(new RegisterCertificateWithoutCACommand({ certificatePem: pem, status }));

describe("RegisterCertificateWithoutCA", () => {
  it("registers INACTIVE, SNI_ONLY, with certificateId = SHA-256 of the DER and epoch dates", async () => {
    const { pem, der } = deviceCertificate();
    const out = await register(a, pem);
    const id = createHash("sha256").update(der).digest("hex");
    const [accountA] = twin.registry.identities();
    expect(out.certificateId).toBe(id);
    expect(out.certificateArn).toBe(`arn:aws:iot:${accountA?.region}:${accountA?.accountId}:cert/${id}`);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const { certificateDescription: d } = await a.send(new DescribeCertificateCommand({ certificateId: id }));
    expect(d?.status).toBe("INACTIVE");
    expect(d?.certificateMode).toBe("SNI_ONLY");
    expect(d?.ownedBy).toBe(accountA?.accountId);
    expect(d?.caCertificateId).toBeUndefined();
    expect(d?.certificatePem).toBe(pem);
    expect(d?.creationDate).toBeInstanceOf(Date);
    expect(Math.abs((d?.creationDate?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(d?.validity?.notAfter?.toISOString()).toBe("2044-01-01T00:00:00.000Z");
  });

  it("takes the status it is given", async () => {
    const out = await register(a, deviceCertificate().pem, "ACTIVE");
    const { certificateDescription: d } = await a.send(
      new DescribeCertificateCommand({ certificateId: out.certificateId }),
    );
    expect(d?.status).toBe("ACTIVE");
  });

  it("answers a duplicate in the same account with 409 ResourceAlreadyExistsException, resourceId and resourceArn", async () => {
    const { pem } = deviceCertificate();
    const first = await register(a, pem);
    const e = await failure(register(a, pem));
    expect(e.name).toBe("ResourceAlreadyExistsException");
    expect(e.$metadata.httpStatusCode).toBe(409);
    expect(e.message).toBe("The certificate is already provisioned or registered");
    expect(e.resourceId).toBe(first.certificateId);
    expect(e.resourceArn).toBe(first.certificateArn);
  });

  it("registers the same certificate in a second account: same id, another ARN, separate status (MAR)", async () => {
    const { pem } = deviceCertificate();
    const inA = await register(a, pem, "ACTIVE");
    const inB = await register(b, pem);
    expect(inB.certificateId).toBe(inA.certificateId);
    expect(inB.certificateArn).not.toBe(inA.certificateArn);
    const [, accountB] = twin.registry.identities();
    expect(inB.certificateArn).toContain(`:${accountB?.accountId}:cert/`);
    const dB = await b.send(new DescribeCertificateCommand({ certificateId: inB.certificateId }));
    expect(dB.certificateDescription?.status).toBe("INACTIVE");
  });

  it("refuses a malformed PEM and an unknown status", async () => {
    const bad = await failure(register(a, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    expect(bad.name).toBe("CertificateValidationException");
    expect(bad.$metadata.httpStatusCode).toBe(400);
    const status = await failure(register(a, deviceCertificate().pem, "BOGUS" as CertificateStatus));
    expect(status.name).toBe("InvalidRequestException");
    const pending = await failure(register(a, deviceCertificate().pem, "PENDING_TRANSFER"));
    expect(pending.name).toBe("CertificateStateException");
    expect(pending.$metadata.httpStatusCode).toBe(406);
  });
});

describe("RegisterCertificate without a registered CA", () => {
  it("is refused with CertificateValidationException; a registered duplicate is still 409", async () => {
    const { pem } = deviceCertificate();
    const e = await failure(
      a.send(new RegisterCertificateCommand({ certificatePem: pem, status: "ACTIVE" })),
    );
    expect(e.name).toBe("CertificateValidationException");
    expect(e.$metadata.httpStatusCode).toBe(400);
    await register(a, pem);
    const dup = await failure(a.send(new RegisterCertificateCommand({ certificatePem: pem })));
    expect(dup.name).toBe("ResourceAlreadyExistsException");
  });
});

describe("DescribeCertificate", () => {
  it("answers 404 for an unknown id and 400 for a malformed one", async () => {
    const missing = await failure(a.send(new DescribeCertificateCommand({ certificateId: "ab".repeat(32) })));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const malformed = await failure(a.send(new DescribeCertificateCommand({ certificateId: "xyz" })));
    expect(malformed.name).toBe("InvalidRequestException");
    expect(malformed.message).toContain("failed to satisfy constraint");
  });

  it("does not show a certificate of another account", async () => {
    const out = await register(a, deviceCertificate().pem);
    const e = await failure(b.send(new DescribeCertificateCommand({ certificateId: out.certificateId })));
    expect(e.name).toBe("ResourceNotFoundException");
  });
});

describe("UpdateCertificate transitions (aws-iot §1.4)", () => {
  const update = (id: string, newStatus: string) =>
    a.send(new UpdateCertificateCommand({ certificateId: id, newStatus: newStatus as CertificateStatus }));
  const statusOf = async (id: string) =>
    (await a.send(new DescribeCertificateCommand({ certificateId: id }))).certificateDescription?.status;

  it("allows INACTIVE → ACTIVE → INACTIVE → REVOKED and same-state updates", async () => {
    const { certificateId: id = "" } = await register(a, deviceCertificate().pem);
    for (const s of ["ACTIVE", "ACTIVE", "INACTIVE", "ACTIVE", "REVOKED", "REVOKED"]) {
      await update(id, s);
      expect(await statusOf(id)).toBe(s);
    }
  });

  it("refuses REVOKED → ACTIVE|INACTIVE with 406 and any → PENDING_* with 400", async () => {
    const { certificateId: id = "" } = await register(a, deviceCertificate().pem, "REVOKED");
    for (const s of ["ACTIVE", "INACTIVE"]) {
      const e = await failure(update(id, s));
      expect(e.name).toBe("CertificateStateException");
      expect(e.$metadata.httpStatusCode).toBe(406);
    }
    const { certificateId: other = "" } = await register(a, deviceCertificate().pem);
    for (const s of ["PENDING_TRANSFER", "PENDING_ACTIVATION"]) {
      expect((await failure(update(other, s))).name).toBe("InvalidRequestException");
    }
    expect(await statusOf(other)).toBe("INACTIVE");
    expect((await failure(update("cd".repeat(32), "ACTIVE"))).name).toBe("ResourceNotFoundException");
  });
});

describe("DeleteCertificate preconditions (aws-iot §3.1)", () => {
  it("refuses ACTIVE (406), attached things (409), attached policies (409) unless forceDelete", async () => {
    const out = await register(a, deviceCertificate().pem, "ACTIVE");
    const id = out.certificateId ?? "";
    const arn = out.certificateArn ?? "";
    const active = await failure(a.send(new DeleteCertificateCommand({ certificateId: id })));
    expect(active.name).toBe("CertificateStateException");
    expect(active.$metadata.httpStatusCode).toBe(406);
    expect(active.message).toBe(`Certificate must be deactivated (not ACTIVE) before deletion. Id: ${id}`);
    await a.send(new UpdateCertificateCommand({ certificateId: id, newStatus: "INACTIVE" }));

    await a.send(new CreateThingCommand({ thingName: "eval3-thing" }));
    await a.send(new AttachThingPrincipalCommand({ thingName: "eval3-thing", principal: arn }));
    const thing = await failure(
      a.send(new DeleteCertificateCommand({ certificateId: id, forceDelete: true })),
    );
    expect(thing.name).toBe("DeleteConflictException");
    expect(thing.$metadata.httpStatusCode).toBe(409);
    await a.send(new DetachThingPrincipalCommand({ thingName: "eval3-thing", principal: arn }));

    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "iot:Connect", Resource: "*" }],
    });
    await a.send(new CreatePolicyCommand({ policyName: "p", policyDocument: doc }));
    await a.send(new AttachPolicyCommand({ policyName: "p", target: arn }));
    const policy = await failure(a.send(new DeleteCertificateCommand({ certificateId: id })));
    expect(policy.name).toBe("DeleteConflictException");
    expect(policy.message).toContain("policies must be detached");

    await a.send(new DeleteCertificateCommand({ certificateId: id, forceDelete: true }));
    expect((await failure(a.send(new DescribeCertificateCommand({ certificateId: id })))).name).toBe(
      "ResourceNotFoundException",
    );
    expect(twin.registry.policiesOf(twin.registry.identities()[0]?.accountId ?? "", arn)).toEqual([]);
  });

  it("deletes INACTIVE and REVOKED certificates", async () => {
    for (const status of ["INACTIVE", "REVOKED"] as const) {
      const { certificateId } = await register(a, deviceCertificate().pem, status);
      await a.send(new DeleteCertificateCommand({ certificateId }));
      expect((await failure(a.send(new DescribeCertificateCommand({ certificateId })))).name).toBe(
        "ResourceNotFoundException",
      );
    }
  });
});

describe("ListCertificates paging", () => {
  it("pages with marker/pageSize, newest first by default, oldest first when ascending, 25 per page by default", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push((await register(a, deviceCertificate().pem)).certificateId ?? "");
      await new Promise((r) => setTimeout(r, 2)); // distinct creation dates
    }
    const collect = async (ascending: boolean) => {
      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await a.send(
          new ListCertificatesCommand({ pageSize: 7, marker, ascendingOrder: ascending }),
        );
        expect(page.certificates?.length).toBeLessThanOrEqual(7);
        seen.push(...(page.certificates ?? []).map((c) => c.certificateId ?? ""));
        marker = page.nextMarker;
        pages++;
      } while (marker);
      expect(pages).toBe(5);
      return seen;
    };
    expect(await collect(true)).toEqual(ids);
    expect(await collect(false)).toEqual([...ids].reverse());
    const first = await a.send(new ListCertificatesCommand({}));
    expect(first.certificates).toHaveLength(25);
    expect(first.nextMarker).toBeDefined();
    expect(first.certificates?.[0]).toMatchObject({ status: "INACTIVE", certificateMode: "SNI_ONLY" });
    expect((await failure(a.send(new ListCertificatesCommand({ pageSize: 251 })))).name).toBe(
      "InvalidRequestException",
    );
    expect((await failure(a.send(new ListCertificatesCommand({ marker: "bm9wZQ==" })))).name).toBe(
      "InvalidRequestException",
    );
    const empty = await b.send(new ListCertificatesCommand({}));
    expect(empty.certificates).toEqual([]);
    expect(empty.nextMarker).toBeUndefined();
  });
});
