// The run id marks every resource a run creates (design: "Reliability and security") so a janitor can
// find what a crashed run left: a thing attribute (things take attributes, aws-iot §3.2) and tags on
// policies and certificates (TagResource, aws-iot §3.5).
import { randomBytes } from "node:crypto";
import { AwsError } from "./errors.ts";

/** Thing attribute names (aws-iot §2.2 AttributeName pattern). */
export const RUN_ID_ATTRIBUTE = "marHilRunId";
export const CREATED_AT_ATTRIBUTE = "marHilCreatedAt";
/** Tag keys on policies and certificates. */
export const RUN_ID_TAG = "mar-hil:run-id";
export const CREATED_AT_TAG = "mar-hil:created-at";
/** Prefix of the policies the harness creates, so the janitor can skip everything else. */
export const POLICY_PREFIX = "mar-hil-";

// Fits AttributeValue `[a-zA-Z0-9_.,@/:#=\[\]-]*` and a tag value (aws-iot §2.2).
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** A new run id: sortable by start time, unique across hosts. */
export function newRunId(now: () => number = Date.now): string {
  const stamp = new Date(now())
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `run-${stamp}-${randomBytes(3).toString("hex")}`;
}

export function checkRunId(runId: string): string {
  if (!RUN_ID.test(runId)) {
    throw new AwsError(
      "RUN_ID_INVALID",
      `run id ${JSON.stringify(runId)} must be 1-64 characters of A-Z a-z 0-9 _ . : - starting with a letter or digit`,
    );
  }
  return runId;
}

/** ISO-8601 without milliseconds; a valid attribute value and readable in the console. */
export const timestamp = (epochMs: number): string => new Date(epochMs).toISOString().replace(/\.\d+Z$/, "Z");
