// Decides the IoT actions of one connection (aws-iot §4.4). Policies are read from the registry on
// every decision, so a changed or detached policy applies at once (AWS takes minutes; sooner is stricter).
import type { Account, PolicyRecord, RegistryView } from "../registry/types.ts";
import {
  evaluate,
  parsePolicyDocument,
  PolicyDocumentError,
  type Decision,
  type PolicyVariables,
  type Statement,
} from "../policy/index.ts";

export type IotAction = "iot:Connect" | "iot:Publish" | "iot:Subscribe" | "iot:Receive" | "iot:RetainPublish";

export interface Authorizer {
  /** `resource` is the part after the account, e.g. `client/<id>`, `topic/<name>`, `topicfilter/<filter>`. */
  decide(action: IotAction, resource: string): Decision;
}

export const resourceArn = (account: Account, resource: string): string =>
  `arn:aws:iot:${account.region}:${account.accountId}:${resource}`;

/** Parsed statements by document text, per data plane instance. */
export class PolicyCache {
  private readonly parsed = new Map<string, readonly Statement[]>();

  statements(document: string): readonly Statement[] {
    let statements = this.parsed.get(document);
    if (!statements) {
      try {
        statements = parsePolicyDocument(document);
      } catch (e) {
        // An unreadable document grants nothing; the control plane validates documents on CreatePolicy.
        if (!(e instanceof PolicyDocumentError)) throw e;
        statements = [];
      }
      if (this.parsed.size > 10_000) this.parsed.clear();
      this.parsed.set(document, statements);
    }
    return statements;
  }
}

/** mTLS: the IoT policies attached to the client certificate. */
export class CertificatePolicies implements Authorizer {
  constructor(
    private readonly registry: RegistryView,
    private readonly account: Account,
    private readonly certificateArn: string,
    private readonly variables: PolicyVariables,
    private readonly cache: PolicyCache,
  ) {}

  /** The attached documents the remembered decisions were made from. */
  private documents: readonly string[] = [];
  private readonly decisions = new Map<string, Decision>();

  decide(action: IotAction, resource: string): Decision {
    const policies = this.registry.policiesOf(this.account.accountId, this.certificateArn);
    // A connection's variables never change, so the same documents give the same answer: telemetry at
    // 150 messages/s per board would otherwise evaluate every statement for every PUBLISH.
    if (!sameDocuments(policies, this.documents)) {
      this.documents = policies.map((p) => p.policyDocument);
      this.decisions.clear();
    }
    const key = `${action} ${resource}`;
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      const statements = policies.flatMap((p) => this.cache.statements(p.policyDocument));
      decision = evaluate(statements, {
        action,
        resource: resourceArn(this.account, resource),
        variables: this.variables,
      });
      if (this.decisions.size >= MAX_DECISIONS) this.decisions.clear();
      this.decisions.set(key, decision);
    }
    return decision;
  }
}

const MAX_DECISIONS = 1000;

function sameDocuments(policies: readonly PolicyRecord[], documents: readonly string[]): boolean {
  return policies.length === documents.length && policies.every((p, i) => p.policyDocument === documents[i]);
}

/**
 * SigV4: IAM, not IoT policies, authorises the key (aws-iot §8). The twin's account keys are the account's
 * own administrator keys, so every data action is allowed.
 */
export class AccountKeyAccess implements Authorizer {
  decide(): Decision {
    return "allow";
  }
}
