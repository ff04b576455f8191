import { describe, expect, it } from "vitest";
import { ConnectionVariables } from "./connection-variables.ts";
import { deviceIdentity } from "./test-support/test-pki.ts";

const thing = {
  accountId: "1",
  thingName: "eval3-v",
  thingArn: "arn",
  attributes: { fw: "1.2" },
  version: 1,
};

describe("connection policy variables (aws-iot §4.4)", () => {
  it("resolves client, thing and certificate variables", () => {
    const vars = new ConnectionVariables("eval3-v", "127.0.0.1", thing, deviceIdentity("eval3-v-cn").der);
    expect(vars.get("iot:ClientId")).toBe("eval3-v");
    expect(vars.get("aws:SourceIp")).toBe("127.0.0.1");
    expect(vars.get("iot:Connection.Thing.IsAttached")).toBe("true");
    expect(vars.get("iot:Connection.Thing.ThingName")).toBe("eval3-v");
    expect(vars.get("iot:Connection.Thing.Attributes[fw]")).toBe("1.2");
    expect(vars.get("iot:Certificate.Subject.CommonName")).toBe("eval3-v-cn");
    expect(vars.get("iot:Certificate.Subject.Organization")).toBe("mar-hil");
    expect(vars.get("iot:Certificate.SerialNumber")).toMatch(/^[0-9A-F]+$/);
  });

  it("leaves thing variables unresolved without an attached thing, and certificate ones for bad DER", () => {
    const vars = new ConnectionVariables("other", "127.0.0.1", undefined, Buffer.from("not DER"));
    expect(vars.get("iot:Connection.Thing.IsAttached")).toBe("false");
    expect(vars.get("iot:Connection.Thing.ThingName")).toBeUndefined();
    expect(vars.get("iot:Certificate.Subject.CommonName")).toBeUndefined();
  });
});
