// The observer's connection settings from configuration alone: MAR_HIL_MQTT_CONNECT (cloud/README.md)
// and the SigV4 presigned WebSocket path (aws-iot §8: iotdevicegateway, token added after signing).
import { describe, expect, it } from "vitest";
import { parseConnect } from "./data-target.ts";
import { presignedMqttPath } from "./sigv4-url.ts";

describe("MAR_HIL_MQTT_CONNECT", () => {
  it("reads host:port, and refuses anything else as the user's to fix", () => {
    expect(parseConnect("127.0.0.1:8883")).toEqual({ host: "127.0.0.1", port: 8883 });
    expect(parseConnect("[::1]:443")).toEqual({ host: "::1", port: 443 });
    expect(parseConnect(undefined)).toBeUndefined();
    for (const bad of ["127.0.0.1", "host:0", "host:99999", ":80"]) {
      expect(() => parseConnect(bad)).toThrow(
        expect.objectContaining({ code: "OBSERVER_CONNECT_FAILED", fault: "user" }),
      );
    }
  });
});

describe("presignedMqttPath", () => {
  const at = new Date("2025-02-01T12:00:00Z");
  const keys = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

  it("signs GET /mqtt for iotdevicegateway in the Region, and adds a session token after signing", async () => {
    const plain = new URLSearchParams(
      (await presignedMqttPath("a1-ats.iot.eu-west-1.amazonaws.com", "eu-west-1", keys, at)).slice(
        "/mqtt?".length,
      ),
    );
    expect(plain.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(plain.get("X-Amz-Credential")).toBe(
      "AKIDEXAMPLE/20250201/eu-west-1/iotdevicegateway/aws4_request",
    );
    expect(plain.get("X-Amz-SignedHeaders")).toBe("host");
    expect(plain.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(plain.has("X-Amz-Security-Token")).toBe(false);

    const withToken = new URLSearchParams(
      (
        await presignedMqttPath(
          "a1-ats.iot.eu-west-1.amazonaws.com",
          "eu-west-1",
          { ...keys, sessionToken: "tok/en+=" },
          at,
        )
      ).slice("/mqtt?".length),
    );
    expect(withToken.get("X-Amz-Security-Token")).toBe("tok/en+=");
    // The token is not part of the signature.
    expect(withToken.get("X-Amz-Signature")).toBe(plain.get("X-Amz-Signature"));
  });
});
