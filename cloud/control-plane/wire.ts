// HTTP framing of the control plane's answers (aws-iot §2): JSON bodies, x-amzn-RequestId, and
// errors as `x-amzn-ErrorType` + `{"message", ...members}`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { IotException } from "../registry/iot-exception.ts";

/** IoT's own exceptions carry a trailing colon in the header as AWS sends it; the SDK strips it (aws-iot §2). */
const FRONT_END = new Set([
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "UnrecognizedClientException",
  "UnknownOperationException",
]);

export function sendJson(
  res: ServerResponse,
  requestId: string,
  status: number,
  body: object | undefined,
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-RequestId": requestId,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, requestId: string, error: IotException): void {
  const text = JSON.stringify({ message: error.message, ...error.members, traceId: requestId });
  res.writeHead(error.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-RequestId": requestId,
    "x-amzn-ErrorType": FRONT_END.has(error.code) ? error.code : `${error.code}:`,
  });
  res.end(text);
}

/** The body of a request, refused beyond `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new IotException("InvalidRequestException", `Request body is larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new IotException("InvalidRequestException", "Could not parse request body into json");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new IotException("InvalidRequestException", "The request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/** Query pairs percent-decoded without URLSearchParams' `+` → space rule (the SDK encodes spaces as %20). */
export function parseQuery(rawQuery: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const [k, v] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    try {
      query.set(decodeURIComponent(k), decodeURIComponent(v));
    } catch {
      throw new IotException(
        "InvalidRequestException",
        `Malformed percent-encoding in query parameter '${k}'`,
      );
    }
  }
  return query;
}
