// The Device Shadow service behind the broker: `…/shadow[/name/<n>]/update|get|delete` requests,
// answered on `/accepted`, `/rejected`, `/update/delta` and `/update/documents` to every subscriber
// (aws-iot-docs device-shadow-mqtt, device-shadow-data-flow). Shadows exist apart from the registry:
// deleting a thing does not delete its shadow, and a shadow needs no thing.
import { epochSeconds, type ServiceReplies, type ServiceRequest } from "../service-request.ts";
import { clientTokenOf, readBody, readUpdate, ShadowRejection } from "./shadow-request.ts";
import type { AccountShadows, ShadowRecord } from "./shadow-store.ts";
import { delta, mergeMetadata, mergeSection, metadataFor, pick, type JsonObject } from "./shadow-state.ts";

export type ShadowOperation = "update" | "get" | "delete";

export interface ShadowAddress {
  thingName: string;
  /** Undefined for the classic (unnamed) shadow. */
  shadowName: string | undefined;
}

const prefix = (a: ShadowAddress): string =>
  `$aws/things/${a.thingName}/shadow${a.shadowName === undefined ? "" : `/name/${a.shadowName}`}`;
const keyOf = (a: ShadowAddress): string =>
  a.shadowName === undefined ? a.thingName : `${a.thingName}/name/${a.shadowName}`;
const token = (clientToken: string | undefined) => (clientToken === undefined ? {} : { clientToken });

function sections(r: ShadowRecord): { state: JsonObject; metadata: JsonObject } {
  const state: JsonObject = {};
  const metadata: JsonObject = {};
  if (r.desired) state.desired = r.desired;
  if (r.reported) state.reported = r.reported;
  if (r.metadata.desired) metadata.desired = r.metadata.desired;
  if (r.metadata.reported) metadata.reported = r.metadata.reported;
  return { state, metadata };
}

export class ShadowService {
  constructor(private readonly shadows: AccountShadows) {}

  handle(
    op: ShadowOperation,
    address: ShadowAddress,
    request: ServiceRequest,
    replies: ServiceReplies,
  ): void {
    const topic = `${prefix(address)}/${op}`;
    const timestamp = epochSeconds(request.now);
    try {
      if (op === "update") this.update(address, request.payload, timestamp, replies);
      else if (op === "get") this.get(address, request.payload, timestamp, replies);
      else this.delete(address, request.payload, timestamp, replies);
    } catch (e) {
      if (!(e instanceof ShadowRejection)) throw e;
      replies.broadcast(`${topic}/rejected`, {
        code: e.code,
        message: e.message,
        timestamp,
        ...token(e.clientToken),
      });
    }
  }

  private live(address: ShadowAddress): ShadowRecord | undefined {
    const record = this.shadows.get(keyOf(address));
    return record && !record.deleted ? record : undefined;
  }

  private missing(address: ShadowAddress, clientToken: string | undefined): ShadowRejection {
    const name = address.shadowName ?? address.thingName;
    return new ShadowRejection(404, `No shadow exists with name: '${name}'`, clientToken);
  }

  private update(address: ShadowAddress, payload: Buffer, timestamp: number, replies: ServiceReplies): void {
    const request = readUpdate(payload);
    const stored = this.shadows.get(keyOf(address));
    const previous = stored && !stored.deleted ? stored : undefined;
    if (request.version !== undefined && request.version !== (stored?.version ?? 0)) {
      throw new ShadowRejection(409, "Version conflict", request.clientToken);
    }
    const next: ShadowRecord = {
      metadata: {},
      version: (stored?.version ?? 0) + 1,
      deleted: false,
    };
    for (const side of ["desired", "reported"] as const) {
      const patch = request.state === null ? null : request.state[side];
      const [value, meta] =
        patch === null
          ? [undefined, undefined]
          : patch === undefined
            ? [previous?.[side], previous?.metadata[side]]
            : [
                mergeSection(previous?.[side], patch),
                mergeMetadata(previous?.metadata[side], patch, timestamp),
              ];
      if (value) next[side] = value;
      if (value && meta) next.metadata[side] = meta;
    }
    this.shadows.set(keyOf(address), next);

    const base = prefix(address);
    const requestMetadata: JsonObject = {};
    for (const side of ["desired", "reported"] as const) {
      const patch = request.state?.[side];
      if (patch) requestMetadata[side] = metadataFor(patch, timestamp);
    }
    replies.broadcast(`${base}/update/accepted`, {
      state: request.state,
      metadata: requestMetadata,
      version: next.version,
      timestamp,
      ...token(request.clientToken),
    });
    const changes = delta(next.desired, next.reported);
    // INFERRED: a delta goes out when the request set `desired` ("the request state document contains
    // different values for desired and reported"); a report that leaves a difference sends none.
    if (changes && request.state?.desired) {
      replies.broadcast(`${base}/update/delta`, {
        version: next.version,
        timestamp,
        state: changes,
        metadata: pick(next.metadata.desired, changes),
        ...token(request.clientToken),
      });
    }
    replies.broadcast(`${base}/update/documents`, {
      // INFERRED: a shadow's first update has no previous document.
      previous: previous ? { ...sections(previous), version: previous.version } : null,
      current: { ...sections(next), version: next.version },
      timestamp,
      ...token(request.clientToken),
    });
  }

  private get(address: ShadowAddress, payload: Buffer, timestamp: number, replies: ServiceReplies): void {
    const clientToken = clientTokenOf(readBody(payload, true));
    const record = this.live(address);
    if (!record) throw this.missing(address, clientToken);
    const { state, metadata } = sections(record);
    const changes = delta(record.desired, record.reported);
    if (changes) state.delta = changes;
    replies.broadcast(`${prefix(address)}/get/accepted`, {
      state,
      metadata,
      version: record.version,
      timestamp,
      ...token(clientToken),
    });
  }

  private delete(address: ShadowAddress, payload: Buffer, timestamp: number, replies: ServiceReplies): void {
    // "The content of the message is ignored" — except a client token, echoed when there is one.
    let clientToken: string | undefined;
    try {
      clientToken = clientTokenOf(readBody(payload, true));
    } catch {
      clientToken = undefined;
    }
    const record = this.live(address);
    if (!record) throw this.missing(address, clientToken);
    this.shadows.set(keyOf(address), { metadata: {}, version: record.version, deleted: true });
    replies.broadcast(`${prefix(address)}/delete/accepted`, {
      version: record.version,
      timestamp,
      ...token(clientToken),
    });
  }
}
