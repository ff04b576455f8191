// ARN formats of the resources the twin keeps (aws-iot §1.3).

export type ResourceType = "cert" | "thing" | "policy";

export function arn(region: string, accountId: string, type: ResourceType, id: string): string {
  return `arn:aws:iot:${region}:${accountId}:${type}/${id}`;
}

export interface ParsedArn {
  region: string;
  accountId: string;
  type: string;
  id: string;
}

/** `arn:aws:iot:<region>:<account>:<type>/<id>`, or undefined when the text is not an IoT ARN. */
export function parseArn(text: string): ParsedArn | undefined {
  const m = /^arn:aws:iot:([a-z0-9-]+):(\d{12}):([a-z]+)\/(.+)$/.exec(text);
  if (!m) return undefined;
  const [, region = "", accountId = "", type = "", id = ""] = m;
  return { region, accountId, type, id };
}
