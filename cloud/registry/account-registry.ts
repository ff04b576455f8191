// The write side of one account, as the control plane calls it: one method per operation family
// (aws-iot §3), each delegating to the file that implements it.
import type { AccountContext } from "./account-context.ts";
import type { StoredCertificate, StoredPolicy, StoredThing, ThingPrincipalType } from "./account-data.ts";
import * as certificates from "./certificate-ops.ts";
import type { Page } from "./paging.ts";
import * as policies from "./policy-ops.ts";
import * as tags from "./tag-ops.ts";
import * as things from "./thing-ops.ts";

export class AccountRegistry {
  constructor(private readonly ctx: AccountContext) {}

  get identity(): AccountContext["identity"] {
    return this.ctx.identity;
  }

  registerCertificateWithoutCa(pem: string, status?: string): StoredCertificate {
    return certificates.registerWithoutCa(this.ctx, pem, status);
  }
  registerCertificate(pem: string, caPem?: string): never {
    return certificates.registerWithCa(this.ctx, pem, caPem);
  }
  describeCertificate(certificateId: string): StoredCertificate {
    return certificates.describeCertificate(this.ctx, certificateId);
  }
  listCertificates(input: certificates.ListCertificatesInput = {}): Page<StoredCertificate> {
    return certificates.listCertificates(this.ctx, input);
  }
  updateCertificate(certificateId: string, newStatus: string): void {
    certificates.updateCertificate(this.ctx, certificateId, newStatus);
  }
  deleteCertificate(certificateId: string, forceDelete = false): void {
    certificates.deleteCertificate(this.ctx, certificateId, forceDelete);
  }

  createThing(thingName: string, input: things.CreateThingInput = {}): StoredThing {
    return things.createThing(this.ctx, thingName, input);
  }
  describeThing(thingName: string): StoredThing {
    return things.describeThing(this.ctx, thingName);
  }
  listThings(input: things.ListThingsInput = {}): Page<StoredThing> {
    return things.listThings(this.ctx, input);
  }
  deleteThing(thingName: string, expectedVersion?: number): void {
    things.deleteThing(this.ctx, thingName, expectedVersion);
  }
  attachThingPrincipal(thingName: string, principal: string, type?: ThingPrincipalType): void {
    things.attachThingPrincipal(this.ctx, thingName, principal, type);
  }
  detachThingPrincipal(thingName: string, principal: string): void {
    things.detachThingPrincipal(this.ctx, thingName, principal);
  }
  listThingPrincipals(thingName: string, input: things.ListInput = {}): Page<string> {
    return things.listThingPrincipals(this.ctx, thingName, input);
  }
  listPrincipalThings(principal: string, input: things.ListInput = {}): Page<string> {
    return things.listPrincipalThings(this.ctx, principal, input);
  }

  createPolicy(policyName: string, policyDocument: string, policyTags?: tags.Tag[]): StoredPolicy {
    return policies.createPolicy(this.ctx, policyName, policyDocument, policyTags);
  }
  getPolicy(policyName: string): StoredPolicy {
    return policies.getPolicy(this.ctx, policyName);
  }
  deletePolicy(policyName: string): void {
    policies.deletePolicy(this.ctx, policyName);
  }
  attachPolicy(policyName: string, target: string): void {
    policies.attachPolicy(this.ctx, policyName, target);
  }
  detachPolicy(policyName: string, target: string): void {
    policies.detachPolicy(this.ctx, policyName, target);
  }
  listAttachedPolicies(target: string, input: policies.MarkerInput = {}): Page<StoredPolicy> {
    return policies.listAttachedPolicies(this.ctx, target, input);
  }
  listPolicies(input: policies.MarkerInput & { ascending?: boolean } = {}): Page<StoredPolicy> {
    return policies.listPolicies(this.ctx, input);
  }
  listTargetsForPolicy(policyName: string, input: policies.MarkerInput = {}): Page<string> {
    return policies.listTargetsForPolicy(this.ctx, policyName, input);
  }

  tagResource(resourceArn: string, resourceTags: tags.Tag[]): void {
    tags.tagResource(this.ctx, resourceArn, resourceTags);
  }
  untagResource(resourceArn: string, tagKeys: string[]): void {
    tags.untagResource(this.ctx, resourceArn, tagKeys);
  }
  listTagsForResource(resourceArn: string, nextToken?: string): Page<tags.Tag> {
    return tags.listTagsForResource(this.ctx, resourceArn, nextToken);
  }
}
