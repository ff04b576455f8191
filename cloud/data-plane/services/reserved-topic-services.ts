// The AWS services that answer on reserved topics, one set per account, sitting behind the broker:
// they see an authorised PUBLISH and answer through the broker (or to the requester), never as a
// client anyone could see (aws-iot-docs reserved-topics: shadow, jobs, defender).
import { DefenderService, type ReportFormat } from "./defender/defender-service.ts";
import { JobsService, type JobsOperation } from "./jobs/jobs-service.ts";
import type { ServiceReplies, ServiceRequest } from "./service-request.ts";
import { ShadowService, type ShadowAddress, type ShadowOperation } from "./shadow/shadow-service.ts";
import type { AccountShadows } from "./shadow/shadow-store.ts";

// aws-iot §2.2: the thing-name pattern; a topic naming anything else addresses no service.
const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

type Route =
  | { service: "shadow"; op: ShadowOperation; address: ShadowAddress }
  | { service: "jobs"; op: JobsOperation; thingName: string }
  | { service: "defender"; format: ReportFormat; thingName: string };

const isShadowOp = (s: string | undefined): s is ShadowOperation =>
  s === "update" || s === "get" || s === "delete";

/** The service request a topic names, if any: `$aws/things/<thing>/<service>/…`. */
export function routeOf(topic: string): Route | undefined {
  if (!topic.startsWith("$aws/things/")) return undefined;
  const [, , thingName = "", service, ...rest] = topic.split("/");
  if (!THING_NAME.test(thingName)) return undefined;
  if (service === "shadow") {
    const [first, name, op] = rest;
    if (rest.length === 1 && isShadowOp(first)) {
      return { service, op: first, address: { thingName, shadowName: undefined } };
    }
    if (rest.length === 3 && first === "name" && name && isShadowOp(op)) {
      return { service, op, address: { thingName, shadowName: name } };
    }
  }
  if (service === "jobs") {
    const [first, second] = rest;
    if (rest.length === 1 && first === "get") return { service, op: { kind: "get-pending" }, thingName };
    if (rest.length === 1 && first === "start-next")
      return { service, op: { kind: "start-next" }, thingName };
    if (rest.length === 2 && first && (second === "get" || second === "update")) {
      const kind = second === "get" ? "describe" : "update";
      return { service, op: { kind, jobId: first }, thingName };
    }
  }
  if (service === "defender" && rest.length === 2 && rest[0] === "metrics") {
    const format = rest[1];
    if (format === "json" || format === "cbor") return { service, format, thingName };
  }
  return undefined;
}

export class ReservedTopicServices {
  private readonly shadow: ShadowService;
  private readonly jobs = new JobsService();
  private readonly defender = new DefenderService();

  constructor(shadows: AccountShadows) {
    this.shadow = new ShadowService(shadows);
  }

  /** Answers `request` if its topic is a service's request topic; false when it is not. */
  handle(request: ServiceRequest, replies: ServiceReplies): boolean {
    const route = routeOf(request.topic);
    if (!route) return false;
    if (route.service === "shadow") this.shadow.handle(route.op, route.address, request, replies);
    else if (route.service === "jobs") this.jobs.handle(route.op, route.thingName, request, replies);
    else this.defender.handle(route.format, route.thingName, request, replies);
    return true;
  }
}
