import { describe, expect, it } from "vitest";
import { parsePolicyDocument } from "./document.ts";
import { evaluate, type Decision } from "./evaluate.ts";
import { PolicyDocumentError } from "./document-error.ts";

const ARN = "arn:aws:iot:eu-west-1:111122223333";

// aws-iot §4.5: the recommended least-privilege device policy.
const leastPrivilege = parsePolicyDocument(
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "iot:Connect",
        Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}`,
        Condition: { Bool: { "iot:Connection.Thing.IsAttached": "true" } },
      },
      {
        Effect: "Allow",
        Action: "iot:Publish",
        Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/*`,
      },
      {
        Effect: "Allow",
        Action: ["iot:Subscribe"],
        Resource: [`${ARN}:topicfilter/\${iot:Connection.Thing.ThingName}/*`],
      },
      {
        Effect: "Allow",
        Action: "iot:Receive",
        Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/*`,
      },
    ],
  }),
);

const attached = new Map([
  ["iot:ClientId", "eval3-0001"],
  ["iot:Connection.Thing.ThingName", "eval3-0001"],
  ["iot:Connection.Thing.IsAttached", "true"],
]);
// clientId differs from every thing the certificate is attached to: thing variables stay unresolved.
const notAttached = new Map([
  ["iot:ClientId", "intruder"],
  ["iot:Connection.Thing.IsAttached", "false"],
]);

const decide = (action: string, resource: string, variables = attached): Decision =>
  evaluate(leastPrivilege, { action, resource: `${ARN}:${resource}`, variables });

describe("policy evaluation (aws-iot §4.4, §4.5)", () => {
  it("lets the thing connect with its own name only when the certificate is attached", () => {
    expect(decide("iot:Connect", "client/eval3-0001")).toBe("allow");
    expect(decide("iot:Connect", "client/eval3-0002")).toBe("implicit-deny");
    expect(decide("iot:Connect", "client/intruder", notAttached)).toBe("implicit-deny");
    const unattached = new Map([...attached, ["iot:Connection.Thing.IsAttached", "false"]]);
    expect(decide("iot:Connect", "client/eval3-0001", unattached)).toBe("implicit-deny");
  });

  it("allows topics under the thing prefix and nothing else", () => {
    expect(decide("iot:Publish", "topic/eval3-0001/telemetry")).toBe("allow");
    expect(decide("iot:Publish", "topic/eval3-0001/a/b/c")).toBe("allow");
    expect(decide("iot:Publish", "topic/eval3-0001")).toBe("implicit-deny");
    expect(decide("iot:Publish", "topic/eval3-0002/telemetry")).toBe("implicit-deny");
    expect(decide("iot:Publish", "topic/eval3-0001/x", notAttached)).toBe("implicit-deny");
    expect(decide("iot:Receive", "topic/eval3-0001/cmd")).toBe("allow");
  });

  it("treats MQTT wildcards in topic filters as literal characters", () => {
    const doc = parsePolicyDocument(
      JSON.stringify({
        Statement: { Effect: "Allow", Action: "iot:Subscribe", Resource: `${ARN}:topicfilter/a/+` },
      }),
    );
    const sub = (filter: string): Decision =>
      evaluate(doc, {
        action: "iot:Subscribe",
        resource: `${ARN}:topicfilter/${filter}`,
        variables: attached,
      });
    expect(sub("a/+")).toBe("allow");
    expect(sub("a/b")).toBe("implicit-deny");
    expect(sub("a/#")).toBe("implicit-deny");
    // `*` in the policy does cover a filter that contains `#` under the prefix.
    expect(decide("iot:Subscribe", "topicfilter/eval3-0001/#")).toBe("allow");
  });

  it("matches `?` as exactly one character and `${*}` as a literal star", () => {
    const doc = parsePolicyDocument(
      JSON.stringify({
        Statement: [
          { Effect: "Allow", Action: "iot:Publish", Resource: `${ARN}:topic/dev-?` },
          { Effect: "Allow", Action: "iot:Publish", Resource: `${ARN}:topic/star/\${*}` },
        ],
      }),
    );
    const pub = (topic: string): Decision =>
      evaluate(doc, { action: "iot:Publish", resource: `${ARN}:topic/${topic}`, variables: attached });
    expect(pub("dev-1")).toBe("allow");
    expect(pub("dev-12")).toBe("implicit-deny");
    expect(pub("star/*")).toBe("allow");
    expect(pub("star/x")).toBe("implicit-deny");
  });

  it("does not let a variable value act as a wildcard", () => {
    const starry = new Map([...attached, ["iot:Connection.Thing.ThingName", "*"]]);
    expect(decide("iot:Publish", "topic/*/x", starry)).toBe("allow");
    expect(decide("iot:Publish", "topic/other/x", starry)).toBe("implicit-deny");
  });

  it("lets an explicit Deny win over any Allow, with case-insensitive actions and NotAction", () => {
    const doc = parsePolicyDocument(
      JSON.stringify({
        Statement: [
          { Effect: "Allow", Action: "iot:*", Resource: "*" },
          { Effect: "Deny", Action: "IOT:PUBLISH", Resource: `${ARN}:topic/secret/*` },
          { Effect: "Deny", NotAction: ["iot:Publish", "iot:Connect"], Resource: `${ARN}:topic/ro/*` },
        ],
      }),
    );
    const ask = (action: string, resource: string): Decision =>
      evaluate(doc, { action, resource: `${ARN}:${resource}`, variables: attached });
    expect(ask("iot:Publish", "topic/open/1")).toBe("allow");
    expect(ask("iot:Publish", "topic/secret/1")).toBe("explicit-deny");
    expect(ask("iot:Receive", "topic/ro/1")).toBe("explicit-deny");
    expect(ask("iot:Publish", "topic/ro/1")).toBe("allow");
  });

  it("evaluates String and Null conditions with variables in their values", () => {
    const doc = parsePolicyDocument(
      JSON.stringify({
        Statement: {
          Effect: "Allow",
          Action: "iot:Connect",
          Resource: "*",
          Condition: {
            StringEquals: { "iot:ClientId": "${iot:Connection.Thing.ThingName}" },
            Null: { "aws:SourceIp": "true" },
          },
        },
      }),
    );
    const connect = (variables: Map<string, string>): Decision =>
      evaluate(doc, { action: "iot:Connect", resource: `${ARN}:client/x`, variables });
    expect(connect(attached)).toBe("allow");
    expect(connect(notAttached)).toBe("implicit-deny");
    expect(connect(new Map([...attached, ["aws:SourceIp", "127.0.0.1"]]))).toBe("implicit-deny");
  });

  it("refuses documents it cannot read", () => {
    expect(() => parsePolicyDocument("{")).toThrow(PolicyDocumentError);
    expect(() => parsePolicyDocument(JSON.stringify({ Statement: [{ Effect: "Maybe" }] }))).toThrow(
      PolicyDocumentError,
    );
    expect(() =>
      parsePolicyDocument(JSON.stringify({ Statement: [{ Effect: "Allow", Action: "x" }] })),
    ).toThrow(/Resource/);
  });
});
