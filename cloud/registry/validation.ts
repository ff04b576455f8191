// Input constraints of the IoT model (aws-iot §2, §2.2), reported with AWS's validation wording.
import { invalidRequest } from "./iot-exception.ts";

export interface Constraint {
  pattern?: RegExp;
  /** The pattern as AWS prints it in the message. */
  patternText?: string;
  min?: number;
  max?: number;
}

export const THING_NAME: Constraint = {
  pattern: /^[a-zA-Z0-9:_-]+$/,
  patternText: "[a-zA-Z0-9:_-]+",
  min: 1,
  max: 128,
};
export const POLICY_NAME: Constraint = {
  pattern: /^[\w+=,.@-]+$/,
  patternText: "[\\w+=,.@-]+",
  min: 1,
  max: 128,
};
export const ATTRIBUTE_NAME: Constraint = {
  pattern: /^[a-zA-Z0-9_.,@/:#-]+$/,
  patternText: "[a-zA-Z0-9_.,@/:#-]+",
  max: 128,
};
export const ATTRIBUTE_VALUE: Constraint = {
  pattern: /^[a-zA-Z0-9_.,@/:#=[\]-]*$/,
  patternText: "[a-zA-Z0-9_.,@/:#=\\[\\]-]*",
  max: 800,
};
export const CERTIFICATE_ID: Constraint = {
  pattern: /^(0x)?[a-fA-F0-9]+$/,
  patternText: "(0x)?[a-fA-F0-9]+",
  min: 64,
  max: 64,
};
export const CERTIFICATE_PEM: Constraint = { min: 1, max: 65536 };
export const TAG_KEY: Constraint = {
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  patternText: "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$",
  min: 1,
  max: 128,
};
export const TAG_VALUE: Constraint = { max: 256 };
export const PAGE_SIZE = { min: 1, max: 250 };

/** aws-iot §2: "1 validation error detected: Value '…' at '…' failed to satisfy constraint: …". */
export function check(field: string, value: string, c: Constraint): void {
  const fail = (constraint: string) =>
    invalidRequest(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
    );
  if (c.min !== undefined && value.length < c.min) {
    throw fail(`Member must have length greater than or equal to ${c.min}`);
  }
  if (c.max !== undefined && value.length > c.max)
    throw fail(`Member must have length less than or equal to ${c.max}`);
  if (c.pattern && !c.pattern.test(value)) {
    throw fail(`Member must satisfy regular expression pattern: ${c.patternText}`);
  }
}

export function checkRange(field: string, value: number, range: { min: number; max: number }): void {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalidRequest(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value between ${range.min} and ${range.max}`,
    );
  }
}
