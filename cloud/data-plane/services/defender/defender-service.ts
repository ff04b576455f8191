// Device Defender Detect's metrics topics behind the broker: `$aws/things/<thing>/defender/metrics/
// json|cbor` answered on `/accepted` or `/rejected` (aws-iot-docs DetectMetricsMessages). A report
// must carry a header with an integer report id and a version, in short (`hed`/`rid`/`v`, as the
// STM32U5 firmware sends) or long names (`header`/`report_id`/`version`).
import { epochSeconds, requestText, type ServiceReplies, type ServiceRequest } from "../service-request.ts";
import { CborError, decodeCbor, type CborValue } from "./cbor-decode.ts";

export type ReportFormat = "json" | "cbor";

class ReportRejection extends Error {}

/** A JSON object or a CBOR map with string keys, read the same way. */
function field(container: unknown, short: string, long: string): unknown {
  if (container instanceof Map) return container.get(short) ?? container.get(long);
  if (typeof container === "object" && container !== null && !Array.isArray(container)) {
    const o = container as Record<string, unknown>;
    return o[short] ?? o[long];
  }
  return undefined;
}

const isContainer = (v: unknown): boolean =>
  v instanceof Map ||
  (typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array));

function parse(format: ReportFormat, payload: Buffer): unknown {
  if (format === "cbor") {
    try {
      return decodeCbor(payload) as CborValue;
    } catch (e) {
      if (e instanceof CborError) throw new ReportRejection(`Malformed CBOR: ${e.message}`);
      throw e;
    }
  }
  const text = requestText(payload);
  try {
    if (text === undefined) throw new Error("not UTF-8");
    return JSON.parse(text) as unknown;
  } catch {
    throw new ReportRejection("Malformed JSON");
  }
}

/** The report id, or a rejection saying what is missing. */
function validate(report: unknown): number | bigint {
  if (!isContainer(report)) throw new ReportRejection("The report must be a map");
  const header = field(report, "hed", "header");
  if (!isContainer(header)) throw new ReportRejection("Missing header");
  const reportId = field(header, "rid", "report_id");
  if (!(typeof reportId === "bigint" || (typeof reportId === "number" && Number.isSafeInteger(reportId)))) {
    throw new ReportRejection("Missing or invalid report id");
  }
  if (typeof field(header, "v", "version") !== "string") throw new ReportRejection("Missing version");
  const metrics = field(report, "met", "metrics");
  if (metrics !== undefined && !isContainer(metrics)) throw new ReportRejection("Invalid metrics");
  return reportId;
}

export class DefenderService {
  handle(format: ReportFormat, thingName: string, request: ServiceRequest, replies: ServiceReplies): void {
    const timestamp = epochSeconds(request.now);
    // INFERRED body fields (thingName, reportId, status, statusDetails): AWS documents the topics, not the
    // answer's shape; the firmware only looks at which topic answered. Answers are JSON for both formats.
    try {
      const reportId = Number(validate(parse(format, request.payload)));
      replies.broadcast(`${request.topic}/accepted`, { thingName, reportId, status: "ACCEPTED", timestamp });
    } catch (e) {
      if (!(e instanceof ReportRejection)) throw e;
      replies.broadcast(`${request.topic}/rejected`, {
        thingName,
        status: "REJECTED",
        statusDetails: { ErrorCode: "InvalidPayload", ErrorMessage: e.message },
        timestamp,
      });
    }
  }
}
