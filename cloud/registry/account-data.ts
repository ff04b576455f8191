// Everything one account holds (aws-iot §3): certificates, things, policies, attachments, tags.
// Maps, not objects, because thing and policy names may be "__proto__".
import type { CertificateRecord, PolicyRecord, ThingRecord } from "./types.ts";

export interface StoredCertificate extends CertificateRecord {
  customerVersion: number;
  generationId: string;
  /** Epoch seconds. */
  notBefore: number;
  notAfter: number;
}

export interface StoredThing extends ThingRecord {
  thingId: string;
}

export interface StoredPolicy extends PolicyRecord {
  defaultVersionId: string;
  generationId: string;
  creationDate: number;
  lastModifiedDate: number;
}

export type ThingPrincipalType = "EXCLUSIVE_THING" | "NON_EXCLUSIVE_THING";

export interface ThingPrincipal {
  thingName: string;
  principal: string;
  type: ThingPrincipalType;
}

export interface PolicyTarget {
  policyName: string;
  target: string;
}

interface SerializedAccountData {
  certificates: StoredCertificate[];
  things: StoredThing[];
  policies: StoredPolicy[];
  thingPrincipals: ThingPrincipal[];
  policyTargets: PolicyTarget[];
  tags: Array<{ resourceArn: string; tags: Array<[string, string]> }>;
}

export class AccountData {
  readonly certificates = new Map<string, StoredCertificate>();
  readonly things = new Map<string, StoredThing>();
  readonly policies = new Map<string, StoredPolicy>();
  thingPrincipals: ThingPrincipal[] = [];
  private attachments: PolicyTarget[] = [];
  /** Policy names by target, in attachment order: the data plane asks on every PUBLISH it authorises. */
  private namesByTarget: Map<string, string[]> | undefined;
  readonly tags = new Map<string, Map<string, string>>();

  get policyTargets(): readonly PolicyTarget[] {
    return this.attachments;
  }

  attachPolicyTarget(attachment: PolicyTarget): void {
    this.attachments.push(attachment);
    if (this.namesByTarget) addName(this.namesByTarget, attachment);
  }

  /** Removes the attachments `remove` picks; returns how many went. */
  detachPolicyTargets(remove: (attachment: PolicyTarget) => boolean): number {
    const before = this.attachments.length;
    this.attachments = this.attachments.filter((a) => !remove(a));
    if (this.attachments.length !== before) this.namesByTarget = undefined;
    return before - this.attachments.length;
  }

  principalsOf(thingName: string): string[] {
    return this.thingPrincipals.filter((a) => a.thingName === thingName).map((a) => a.principal);
  }

  thingNamesOf(principal: string): string[] {
    return this.thingPrincipals.filter((a) => a.principal === principal).map((a) => a.thingName);
  }

  policyNamesOf(target: string): string[] {
    if (!this.namesByTarget) {
      const index = new Map<string, string[]>();
      for (const a of this.attachments) addName(index, a);
      this.namesByTarget = index;
    }
    return this.namesByTarget.get(target)?.slice() ?? [];
  }

  targetsOf(policyName: string): string[] {
    return this.policyTargets.filter((a) => a.policyName === policyName).map((a) => a.target);
  }

  toJSON(): SerializedAccountData {
    return {
      certificates: [...this.certificates.values()],
      things: [...this.things.values()],
      policies: [...this.policies.values()],
      thingPrincipals: this.thingPrincipals,
      policyTargets: this.attachments,
      tags: [...this.tags].map(([resourceArn, tags]) => ({ resourceArn, tags: [...tags] })),
    };
  }

  static fromJSON(raw: unknown): AccountData {
    const data = new AccountData();
    if (raw === undefined) return data;
    const s = raw as SerializedAccountData;
    for (const c of s.certificates) data.certificates.set(c.certificateId, c);
    for (const t of s.things) data.things.set(t.thingName, t);
    for (const p of s.policies) data.policies.set(p.policyName, p);
    data.thingPrincipals = s.thingPrincipals;
    data.attachments = s.policyTargets;
    for (const { resourceArn, tags } of s.tags) data.tags.set(resourceArn, new Map(tags));
    return data;
  }
}

function addName(index: Map<string, string[]>, { target, policyName }: PolicyTarget): void {
  const names = index.get(target);
  if (names) names.push(policyName);
  else index.set(target, [policyName]);
}
