// Certificates of one account: register without CA, describe, list, status transitions, delete
// (aws-iot §1.3, §1.4, §3.1).
import { randomUUID } from "node:crypto";
import type { AccountContext } from "./account-context.ts";
import type { StoredCertificate } from "./account-data.ts";
import { arn } from "./arn.ts";
import { parseCertificatePem } from "./certificate-pem.ts";
import { IotException, invalidRequest, notFound } from "./iot-exception.ts";
import { paginate, type Page } from "./paging.ts";
import { CERTIFICATE_ID, CERTIFICATE_PEM, check, checkRange, PAGE_SIZE } from "./validation.ts";
import type { CertificateStatus } from "./types.ts";

export const CERTIFICATE_STATUSES: readonly CertificateStatus[] = [
  "ACTIVE",
  "INACTIVE",
  "REVOKED",
  "PENDING_TRANSFER",
  "REGISTER_INACTIVE",
  "PENDING_ACTIVATION",
];

function status(value: string, field: string): CertificateStatus {
  const found = CERTIFICATE_STATUSES.find((s) => s === value);
  if (!found) {
    throw invalidRequest(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${CERTIFICATE_STATUSES.join(", ")}]`,
    );
  }
  return found;
}

/** aws-iot §3.1 RegisterCertificateWithoutCA: INACTIVE unless `status` says otherwise, SNI_ONLY, 409 on a duplicate. */
export function registerWithoutCa(ctx: AccountContext, pem: string, requested?: string): StoredCertificate {
  check("certificatePem", pem, CERTIFICATE_PEM);
  const initial = requested === undefined ? "INACTIVE" : status(requested, "status");
  // INFERRED (aws-iot §1.4, §9.5): only ACTIVE, INACTIVE and REVOKED make sense at registration.
  if (initial !== "ACTIVE" && initial !== "INACTIVE" && initial !== "REVOKED") {
    throw new IotException(
      "CertificateStateException",
      `Certificate cannot be registered with status ${initial}`,
    );
  }
  const parsed = parseCertificatePem(pem);
  const { region, accountId } = ctx.identity;
  const certificateArn = arn(region, accountId, "cert", parsed.certificateId);
  if (ctx.data.certificates.has(parsed.certificateId)) {
    throw new IotException(
      "ResourceAlreadyExistsException",
      "The certificate is already provisioned or registered",
      {
        resourceId: parsed.certificateId,
        resourceArn: certificateArn,
      },
    );
  }
  const now = ctx.now();
  const record: StoredCertificate = {
    accountId,
    certificateId: parsed.certificateId,
    certificateArn,
    certificatePem: pem,
    status: initial,
    certificateMode: "SNI_ONLY",
    creationDate: now,
    lastModifiedDate: now,
    customerVersion: 1,
    generationId: randomUUID(),
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
  ctx.data.certificates.set(record.certificateId, record);
  ctx.changed({
    kind: "certificate-status",
    accountId,
    certificateId: record.certificateId,
    status: initial,
  });
  return record;
}

/**
 * aws-iot §1.3 RegisterCertificate: the twin has no registered CA, so a certificate can only be
 * refused — CertificateValidationException (INFERRED), after the PEM and duplicate checks.
 */
export function registerWithCa(ctx: AccountContext, pem: string, caPem?: string): never {
  check("certificatePem", pem, CERTIFICATE_PEM);
  const parsed = parseCertificatePem(pem);
  const existing = ctx.data.certificates.get(parsed.certificateId);
  if (existing) {
    throw new IotException(
      "ResourceAlreadyExistsException",
      "The certificate is already provisioned or registered",
      {
        resourceId: existing.certificateId,
        resourceArn: existing.certificateArn,
      },
    );
  }
  if (caPem !== undefined) parseCertificatePem(caPem);
  throw new IotException(
    "CertificateValidationException",
    "The certificate is not signed by a CA registered in this account; use RegisterCertificateWithoutCA",
  );
}

export function describeCertificate(ctx: AccountContext, certificateId: string): StoredCertificate {
  check("certificateId", certificateId, CERTIFICATE_ID);
  const record = ctx.data.certificates.get(certificateId.replace(/^0x/, "").toLowerCase());
  if (!record) throw notFound();
  return record;
}

export interface ListCertificatesInput {
  pageSize?: number;
  marker?: string;
  ascendingOrder?: boolean;
}

/** aws-iot §3.1 ListCertificates: by creation date, newest first unless ascendingOrder; pages of 25. */
export function listCertificates(ctx: AccountContext, input: ListCertificatesInput): Page<StoredCertificate> {
  const pageSize = input.pageSize ?? 25;
  checkRange("pageSize", pageSize, PAGE_SIZE);
  const sorted = [...ctx.data.certificates.values()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  return paginate(sorted, sortKey, {
    pageSize,
    token: input.marker,
    descending: input.ascendingOrder !== true,
  });
}

const sortKey = (c: StoredCertificate): string =>
  `${String(Math.round(c.creationDate * 1000)).padStart(15, "0")}:${c.certificateId}`;

/** aws-iot §1.4: REVOKED is final; PENDING_* and REGISTER_INACTIVE cannot be set (INFERRED table). */
export function updateCertificate(ctx: AccountContext, certificateId: string, newStatus: string): void {
  const record = describeCertificate(ctx, certificateId);
  const target = status(newStatus, "newStatus");
  if (target === "PENDING_TRANSFER" || target === "PENDING_ACTIVATION" || target === "REGISTER_INACTIVE") {
    throw invalidRequest(`Cannot set the status of certificate ${record.certificateId} to ${target}`);
  }
  if (record.status === target) return;
  if (record.status === "REVOKED" || record.status === "PENDING_TRANSFER") {
    throw new IotException(
      "CertificateStateException",
      `Certificate ${record.certificateId} is ${record.status} and cannot be set to ${target}`,
    );
  }
  record.status = target;
  record.lastModifiedDate = ctx.now();
  record.generationId = randomUUID();
  ctx.changed({
    kind: "certificate-status",
    accountId: record.accountId,
    certificateId: record.certificateId,
    status: target,
  });
}

/** aws-iot §3.1 DeleteCertificate preconditions: not ACTIVE, no thing, no policy unless forceDelete. */
export function deleteCertificate(ctx: AccountContext, certificateId: string, forceDelete: boolean): void {
  const record = describeCertificate(ctx, certificateId);
  const { certificateArn } = record;
  if (record.status === "ACTIVE") {
    throw new IotException(
      "CertificateStateException",
      `Certificate must be deactivated (not ACTIVE) before deletion. Id: ${record.certificateId}`,
    );
  }
  if (ctx.data.thingNamesOf(certificateArn).length > 0) {
    throw new IotException(
      "DeleteConflictException",
      `Things must be detached before deletion (arn: ${certificateArn})`,
    );
  }
  if (!forceDelete && ctx.data.policyNamesOf(certificateArn).length > 0) {
    throw new IotException(
      "DeleteConflictException",
      `Certificate policies must be detached before deletion (arn: ${certificateArn})`,
    );
  }
  const detached = ctx.data.policyNamesOf(certificateArn);
  ctx.data.detachPolicyTargets((a) => a.target === certificateArn);
  ctx.data.certificates.delete(record.certificateId);
  ctx.data.tags.delete(certificateArn);
  ctx.changed({
    kind: "certificate-deleted",
    accountId: record.accountId,
    certificateId: record.certificateId,
  });
  for (const policyName of detached)
    ctx.changed({ kind: "policy-changed", accountId: record.accountId, policyName });
}
