// What an operation on one account works with: its identity, its data, the clock, and a way to say
// "I changed something" (persist) and what changed (RegistryChange listeners).
import type { AccountData } from "./account-data.ts";
import type { AccountIdentity } from "./account-identity.ts";
import type { RegistryChange } from "./types.ts";

export interface AccountContext {
  readonly identity: AccountIdentity;
  readonly data: AccountData;
  /** Epoch seconds, fractions allowed (aws-iot §2 timestamps). */
  now(): number;
  /** Marks the account dirty and tells listeners, when given, what changed. */
  changed(change?: RegistryChange): void;
}
