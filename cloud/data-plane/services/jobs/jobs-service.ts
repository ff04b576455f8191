// The Jobs device API behind the broker (aws-iot-docs jobs-mqtt-api). The twin creates no jobs, so
// every thing has none: `$next` and `start-next` answer without `execution`, `get` with empty lists,
// a named job is not found. Answers go to the requesting connection only ("These response messages
// do not pass through the message broker and they cannot be subscribed to by other clients").
import { epochSeconds, requestText, type ServiceReplies, type ServiceRequest } from "../service-request.ts";

export type JobsOperation =
  | { kind: "get-pending" }
  | { kind: "start-next" }
  | { kind: "describe"; jobId: string }
  | { kind: "update"; jobId: string };

// aws-iot-device-sdk RejectedErrorCode values used here.
type JobsErrorCode = "InvalidJson" | "InvalidRequest" | "ResourceNotFound";

class JobsRejection extends Error {
  constructor(
    readonly code: JobsErrorCode,
    message: string,
    readonly clientToken?: string,
  ) {
    super(message);
  }
}

function body(payload: Buffer): { clientToken?: string } {
  const text = requestText(payload);
  if (text === undefined) throw new JobsRejection("InvalidRequest", "the payload is not UTF-8");
  // INFERRED: an empty payload is an empty request, as for the shadow /get topic.
  if (text.trim() === "") return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new JobsRejection("InvalidJson", "the payload is not valid JSON");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new JobsRejection("InvalidJson", "the payload must be a JSON object");
  }
  const token = (doc as { clientToken?: unknown }).clientToken;
  if (token === undefined) return {};
  if (typeof token !== "string") throw new JobsRejection("InvalidRequest", "clientToken must be a string");
  return { clientToken: token };
}

export class JobsService {
  handle(op: JobsOperation, thingName: string, request: ServiceRequest, replies: ServiceReplies): void {
    const topic = request.topic;
    const timestamp = epochSeconds(request.now);
    try {
      const fields = body(request.payload);
      const answer = { ...fields, timestamp };
      if (op.kind === "get-pending") {
        replies.reply(`${topic}/accepted`, { inProgressJobs: [], queuedJobs: [], ...answer });
      } else if (op.kind === "start-next" || op.jobId === "$next") {
        // jobs-mqtt-api: "If no job executions are pending, the response does not include the execution field."
        replies.reply(`${topic}/accepted`, answer);
      } else {
        throw new JobsRejection(
          "ResourceNotFound",
          `No job execution for job ${op.jobId} on thing ${thingName}`,
          fields.clientToken,
        );
      }
    } catch (e) {
      if (!(e instanceof JobsRejection)) throw e;
      const clientToken = e.clientToken === undefined ? {} : { clientToken: e.clientToken };
      replies.reply(`${topic}/rejected`, { code: e.code, message: e.message, ...clientToken, timestamp });
    }
  }
}
