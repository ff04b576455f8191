// The control plane of the IoT Core twin: an HTTP server on 127.0.0.1 that an unmodified
// `new IoTClient({ endpoint, region, credentials })` talks to (aws-iot §2, §3). The SigV4 access key
// picks the account; the signature is verified with that account's secret.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { IotException } from "../registry/iot-exception.ts";
import type { Registry } from "../registry/registry.ts";
import { FaultInjector, type FaultOptions } from "./faults.ts";
import { matchRoute } from "./routes.ts";
import { readAuthorization, verifySignature } from "./sigv4-header.ts";
import { parseJsonBody, parseQuery, readBody, sendError, sendJson } from "./wire.ts";

export interface ControlPlaneOptions {
  registry: Registry;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Injected clock for the signature's 15-minute window, epoch ms (style.md rule 8). */
  now?: () => number;
  /** Largest request body accepted (default 1 MiB; a policy document is at most ~400 KB). */
  bodyLimit?: number;
}

export interface CallRecord {
  requestId: string;
  /** The operation name, or the method and path when no route matched. */
  operation: string;
  accountId?: string;
  status: number;
  errorType?: string;
}

const KEEP_CALLS = 10_000;

export class ControlPlane {
  private readonly faults = new FaultInjector();
  private readonly log: CallRecord[] = [];
  private readonly now: () => number;
  private readonly bodyLimit: number;

  private constructor(
    private readonly server: Server,
    private readonly registry: Registry,
    options: ControlPlaneOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.bodyLimit = options.bodyLimit ?? 1 << 20;
  }

  static async start(options: ControlPlaneOptions): Promise<ControlPlane> {
    const server = createServer();
    const plane = new ControlPlane(server, options.registry, options);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => void plane.handle(req, res));
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    return plane;
  }

  /** `http://127.0.0.1:<port>`: the `endpoint` of IoTClient, AWS_ENDPOINT_URL_IOT. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  // --- test control ---------------------------------------------------------------------------

  /** Answer a share of calls with ThrottlingException (400), which the SDK retries (aws-iot §6). */
  throttle(options?: FaultOptions): void {
    this.faults.add("throttle", options);
  }

  /** Answer a share of calls with InternalFailureException (500) or ServiceUnavailableException (503). */
  failWithServerErrors(options?: FaultOptions & { status?: 500 | 503 }): void {
    this.faults.add(options?.status === 503 ? "service-unavailable" : "internal-failure", options);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Calls answered so far (the latest 10,000), optionally only those of one operation. */
  calls(operation?: string): readonly CallRecord[] {
    return operation === undefined ? [...this.log] : this.log.filter((c) => c.operation === operation);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // --- one request ------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const method = req.method ?? "GET";
    const [rawPath = "/", rawQuery = ""] = (req.url ?? "/").split(/\?(.*)/s, 2);
    const call: CallRecord = { requestId, operation: `${method} ${rawPath}`, status: 200 };
    try {
      const body = await readBody(req, this.bodyLimit);
      const { scope } = readAuthorization(req.headers);
      const key = this.registry.accessKey(scope.accessKeyId);
      if (!key)
        throw new IotException(
          "UnrecognizedClientException",
          "The security token included in the request is invalid.",
        );
      call.accountId = key.accountId;
      const account = this.registry.account(key.accountId);
      verifySignature(
        { method, rawPath, rawQuery, headers: req.headers, body },
        key.secretAccessKey,
        account.identity.region,
        this.now(),
      );
      const match = matchRoute(method, rawPath);
      if (!match)
        throw new IotException("UnknownOperationException", `No operation matches ${method} ${rawPath}`);
      call.operation = match.name;
      const fault = this.faults.decide(match.name);
      if (fault) throw fault;
      const query = parseQuery(rawQuery);
      const output = match.operation({
        account,
        labels: match.labels,
        query,
        headers: req.headers,
        body: parseJsonBody(body),
      });
      sendJson(res, requestId, 200, output);
    } catch (e) {
      // Anything that is not an AWS answer is a twin bug; it still gets AWS's 500, never a hang.
      const error =
        e instanceof IotException
          ? e
          : new IotException("InternalFailureException", "An internal failure occurred");
      call.status = error.status;
      call.errorType = error.code;
      sendError(res, requestId, error);
    }
    this.log.push(call);
    if (this.log.length > KEEP_CALLS) this.log.splice(0, this.log.length - KEEP_CALLS);
  }
}
