// Test fixture: a small in-memory RegistryView (the real one is cloud/registry), with the writes the
// data-plane tests need. Every write that the control plane would announce emits its RegistryChange.
import type {
  AccessKey,
  Account,
  CertificateMode,
  CertificateRecord,
  CertificateStatus,
  PolicyRecord,
  RegistryChange,
  RegistryView,
  ThingRecord,
} from "../../registry/types.ts";
import type { DeviceIdentity } from "./test-pki.ts";

export class MemoryRegistry implements RegistryView {
  private readonly accountList: Account[] = [];
  private readonly keys = new Map<string, AccessKey>();
  private readonly certs = new Map<string, CertificateRecord>();
  private readonly policies = new Map<string, PolicyRecord>();
  private readonly things = new Map<string, ThingRecord>();
  /** `accountId|principalArn` → policy names / thing names. */
  private readonly policyTargets = new Map<string, Set<string>>();
  private readonly thingPrincipals = new Map<string, Set<string>>();
  private readonly listeners = new Set<(change: RegistryChange) => void>();

  addAccount(accountId: string, region: string, prefix: string): Account {
    const account = { accountId, region, dataEndpoint: `${prefix}-ats.iot.${region}.amazonaws.com` };
    this.accountList.push(account);
    return account;
  }

  addAccessKey(key: AccessKey): void {
    this.keys.set(key.accessKeyId, key);
  }

  registerCertificate(
    account: Account,
    identity: DeviceIdentity,
    status: CertificateStatus = "ACTIVE",
    mode: CertificateMode = "SNI_ONLY",
  ): CertificateRecord {
    const now = Date.now() / 1000;
    const record: CertificateRecord = {
      accountId: account.accountId,
      certificateId: identity.certificateId,
      certificateArn: `arn:aws:iot:${account.region}:${account.accountId}:cert/${identity.certificateId}`,
      certificatePem: identity.certificatePem,
      status,
      certificateMode: mode,
      creationDate: now,
      lastModifiedDate: now,
    };
    this.certs.set(`${account.accountId}|${identity.certificateId}`, record);
    return record;
  }

  setStatus(certificate: CertificateRecord, status: CertificateStatus): void {
    certificate.status = status;
    const { accountId, certificateId } = certificate;
    this.emit({ kind: "certificate-status", accountId, certificateId, status });
  }

  createPolicy(account: Account, policyName: string, document: unknown): PolicyRecord {
    const record = {
      accountId: account.accountId,
      policyName,
      policyArn: `arn:aws:iot:${account.region}:${account.accountId}:policy/${policyName}`,
      policyDocument: typeof document === "string" ? document : JSON.stringify(document),
    };
    this.policies.set(`${account.accountId}|${policyName}`, record);
    return record;
  }

  attachPolicy(policy: PolicyRecord, principalArn: string): void {
    this.link(this.policyTargets, `${policy.accountId}|${principalArn}`, policy.policyName);
  }

  createThing(account: Account, thingName: string, attributes: Record<string, string> = {}): ThingRecord {
    const record = {
      accountId: account.accountId,
      thingName,
      thingArn: `arn:aws:iot:${account.region}:${account.accountId}:thing/${thingName}`,
      attributes,
      version: 1,
    };
    this.things.set(`${account.accountId}|${thingName}`, record);
    return record;
  }

  attachThing(thing: ThingRecord, principalArn: string): void {
    this.link(this.thingPrincipals, `${thing.accountId}|${principalArn}`, thing.thingName);
    this.emit({
      kind: "thing-principal",
      accountId: thing.accountId,
      thingName: thing.thingName,
      principal: principalArn,
    });
  }

  accounts(): readonly Account[] {
    return this.accountList;
  }

  accountByEndpoint(host: string): Account | undefined {
    return this.accountList.find((a) => a.dataEndpoint === host.toLowerCase());
  }

  certificate(accountId: string, certificateId: string): CertificateRecord | undefined {
    return this.certs.get(`${accountId}|${certificateId}`);
  }

  policiesOf(accountId: string, principalArn: string): readonly PolicyRecord[] {
    const names = this.policyTargets.get(`${accountId}|${principalArn}`) ?? new Set();
    return [...names].flatMap((n) => this.policies.get(`${accountId}|${n}`) ?? []);
  }

  thingsOf(accountId: string, principalArn: string): readonly ThingRecord[] {
    const names = this.thingPrincipals.get(`${accountId}|${principalArn}`) ?? new Set();
    return [...names].flatMap((n) => this.things.get(`${accountId}|${n}`) ?? []);
  }

  accessKey(accessKeyId: string): AccessKey | undefined {
    return this.keys.get(accessKeyId);
  }

  subscribe(listener: (change: RegistryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private link(map: Map<string, Set<string>>, key: string, value: string): void {
    const set = map.get(key) ?? new Set<string>();
    set.add(value);
    map.set(key, set);
  }

  private emit(change: RegistryChange): void {
    for (const l of this.listeners) l(change);
  }
}
