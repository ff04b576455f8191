// Who may CONNECT: the MAR certificate rules (aws-iot §1.2, §4.2) and iot:Connect (aws-iot §4.4).
import { createHash, randomUUID } from "node:crypto";
import type { Account, CertificateRecord, RegistryView, ThingRecord } from "../registry/types.ts";
import { AccountKeyAccess, CertificatePolicies, type Authorizer, type PolicyCache } from "./authorizer.ts";
import { ConnectionVariables } from "./connection-variables.ts";
import { DataPlaneError } from "./errors.ts";
import type { ConnectionContext, Principal } from "./session.ts";
import { checkPublish, MAX_CLIENT_ID_BYTES } from "./topic-rules.ts";

export const certificateIdOf = (der: Buffer): string => createHash("sha256").update(der).digest("hex");

/**
 * The account and registry entry a client certificate authenticates as. With SNI, only the named
 * account is searched; without it, only a DEFAULT-mode certificate (unique across accounts) resolves.
 */
export function resolveCertificate(
  registry: RegistryView,
  certificateId: string,
  sni: string | undefined,
): { account: Account; certificate: CertificateRecord } {
  let found: { account: Account; certificate: CertificateRecord } | undefined;
  if (sni) {
    const account = registry.accountByEndpoint(sni);
    if (!account) throw new DataPlaneError("UNKNOWN_ENDPOINT", `no account has the endpoint ${sni}`);
    const certificate = registry.certificate(account.accountId, certificateId);
    if (certificate) found = { account, certificate };
  } else {
    const candidates = registry
      .accounts()
      .map((account) => ({ account, certificate: registry.certificate(account.accountId, certificateId) }))
      .filter((c): c is { account: Account; certificate: CertificateRecord } => c.certificate !== undefined);
    found = candidates.find((c) => c.certificate.certificateMode === "DEFAULT");
    if (!found && candidates.length > 0) {
      throw new DataPlaneError("SNI_REQUIRED", "an SNI_ONLY certificate needs the endpoint in the TLS SNI");
    }
  }
  if (!found)
    throw new DataPlaneError("CERT_NOT_REGISTERED", `certificate ${certificateId} is not registered`);
  if (found.certificate.status !== "ACTIVE") {
    throw new DataPlaneError(
      "CERT_NOT_ACTIVE",
      `certificate ${certificateId} is ${found.certificate.status}`,
    );
  }
  return found;
}

export interface ConnectRequest {
  clientId: string;
  will?: { topic: string; payload: Buffer | string; qos?: number; retain?: boolean } | undefined;
}

export interface Admitted {
  thing: ThingRecord | undefined;
  authorizer: Authorizer;
  sessionIdentifier: string;
}

/** Refused after the principal was known: AWS reports these on `connect_failed` (aws-iot §4.4). */
export class ConnectRefused extends DataPlaneError {
  constructor(
    message: string,
    readonly sessionIdentifier: string,
  ) {
    super("CONNECT_NOT_AUTHORIZED", message);
  }
}

/** Checks a CONNECT against the registry as it is now; throws a DataPlaneError to refuse it. */
export function admitConnect(
  registry: RegistryView,
  cache: PolicyCache,
  context: ConnectionContext,
  request: ConnectRequest,
): Admitted {
  const { clientId } = request;
  const sessionIdentifier = randomUUID();
  if (Buffer.byteLength(clientId, "utf8") > MAX_CLIENT_ID_BYTES) {
    throw new DataPlaneError("CLIENT_ID_INVALID", "client id longer than 128 bytes");
  }
  const principal: Principal = context.principal;
  if (principal.kind === "access-key")
    return { thing: undefined, authorizer: new AccountKeyAccess(), sessionIdentifier };

  const { account, certificate } = resolveCertificate(registry, principal.certificateId, context.sni);
  if (account.accountId !== context.account.accountId) {
    throw new DataPlaneError(
      "CERT_NOT_REGISTERED",
      `certificate is not registered in ${context.account.accountId}`,
    );
  }
  const thing = registry
    .thingsOf(account.accountId, certificate.certificateArn)
    .find((t) => t.thingName === clientId);
  const variables = new ConnectionVariables(clientId, context.ipAddress, thing, principal.certificateDer);
  const authorizer = new CertificatePolicies(registry, account, certificate.certificateArn, variables, cache);
  if (authorizer.decide("iot:Connect", `client/${clientId}`) !== "allow") {
    throw new ConnectRefused(`iot:Connect on client/${clientId} is not allowed`, sessionIdentifier);
  }
  const will = request.will;
  if (will) {
    // aws-iot §4.6: a Last Will the client may not publish fails the connection too.
    checkPublish(will.topic, Buffer.byteLength(will.payload), will.qos ?? 0, will.retain === true);
    const allowed =
      authorizer.decide("iot:Publish", `topic/${will.topic}`) === "allow" &&
      (!will.retain || authorizer.decide("iot:RetainPublish", `topic/${will.topic}`) === "allow");
    if (!allowed) throw new ConnectRefused(`Last Will on ${will.topic} is not allowed`, sessionIdentifier);
  }
  return { thing, authorizer, sessionIdentifier };
}
