// The IoT Core twin as one object: registry and CA from `<state>/cloud/`, the control plane, and —
// when given — the data plane, plus the cloud object of the design's CLI contract.
import { join } from "node:path";
import { ControlPlane } from "./control-plane/control-plane.ts";
import { DataPlane } from "./data-plane/index.ts";
import { endpointAddress } from "./registry/account-identity.ts";
import { Registry } from "./registry/registry.ts";
import type { RegistryView } from "./registry/types.ts";
import { TwinCa, type ServerCredentials } from "./twin-ca.ts";

/** What the data plane is started with. */
export interface DataPlaneContext {
  registry: RegistryView;
  /** Server certificate for an endpoint host, chaining to the twin's root CA (aws-iot §5). */
  issueServerCertificate(hostname: string): ServerCredentials;
  caCertificatePem: string;
  /** Injected clock, epoch ms. */
  now: () => number;
  /** The twin's state directory (`<state>/cloud`), for what the data plane keeps (Device Shadows). */
  stateDir?: string;
}

/** A running data plane: MQTT over TLS on 127.0.0.1, one port for every account (SNI routes). */
export interface DataPlaneHandle {
  port: number;
  close(): Promise<void>;
  /** Test control (broker-restart fault): drop every connection, listen again on the same port. */
  restart?(): Promise<void>;
  /** Test control: end every MQTT session from the server side. */
  disconnectAll?(): Promise<void>;
}

export type StartDataPlane = (context: DataPlaneContext) => Promise<DataPlaneHandle>;

export interface CloudTwinOptions {
  /** The state directory (`--state`); the twin keeps its files in `<stateDir>/cloud/`. */
  stateDir: string;
  /** Accounts to serve (default 2). */
  accounts?: number;
  /** Regions of newly created accounts, in turn (default us-east-1). */
  regions?: readonly string[];
  /** Control-plane port; 0 (default) picks a free one. */
  controlPlanePort?: number;
  now?: () => number;
  /**
   * The data plane, started after the control plane and closed before it: cloud/data-plane by
   * default, `false` for a control plane alone.
   */
  startDataPlane?: StartDataPlane | false;
}

/** cloud/data-plane behind the hook: one TLS port for every account, SNI picks the account. */
export const startRealDataPlane: StartDataPlane = (context) =>
  DataPlane.start({
    registry: context.registry,
    serverCredentials: (hostname) => context.issueServerCertificate(hostname),
    now: context.now,
    ...(context.stateDir === undefined ? {} : { shadowDir: join(context.stateDir, "shadows") }),
  });

/** The variable our MQTT clients read to connect to host:port while sending the endpoint as SNI (cloud/README.md). */
export const MQTT_CONNECT_ENV = "MAR_HIL_MQTT_CONNECT";

export interface CloudAccountDescription {
  accountId: string;
  region: string;
  endpoint: string;
  dataHost: string;
  dataPort?: number;
  controlPlaneUrl: string;
  accessKeyId: string;
  secretAccessKey: string;
  env: Record<string, string>;
}

export interface CloudDescription {
  event: "cloud";
  caFile: string;
  accounts: CloudAccountDescription[];
}

export class CloudTwin {
  private closed = false;

  private constructor(
    readonly registry: Registry,
    readonly controlPlane: ControlPlane,
    readonly ca: TwinCa,
    /** The running data plane, for its test controls; undefined when started without one. */
    readonly dataPlane: DataPlaneHandle | undefined,
  ) {}

  static async start(options: CloudTwinOptions): Promise<CloudTwin> {
    const dir = join(options.stateDir, "cloud");
    const now = options.now ?? Date.now;
    const registry = Registry.open({ dir, accounts: options.accounts, regions: options.regions, now });
    const ca = TwinCa.openOrCreate(dir, now);
    let controlPlane: ControlPlane | undefined;
    try {
      controlPlane = await ControlPlane.start({ registry, port: options.controlPlanePort, now });
      const startData =
        options.startDataPlane === false ? undefined : (options.startDataPlane ?? startRealDataPlane);
      const dataPlane = await startData?.({
        registry,
        issueServerCertificate: (host) => ca.issueServerCertificate(host),
        caCertificatePem: ca.certificatePem,
        now,
        stateDir: dir,
      });
      return new CloudTwin(registry, controlPlane, ca, dataPlane);
    } catch (e) {
      await controlPlane?.close();
      registry.close();
      throw e;
    }
  }

  issueServerCertificate(hostname: string): ServerCredentials {
    return this.ca.issueServerCertificate(hostname);
  }

  /** The `{"event":"cloud",…}` object of the design's CLI contract. */
  describe(): CloudDescription {
    const controlPlaneUrl = this.controlPlane.url;
    const dataPort = this.dataPlane?.port;
    return {
      event: "cloud",
      caFile: this.ca.file,
      accounts: this.registry.identities().map((a) => {
        const env: Record<string, string> = {
          AWS_ACCESS_KEY_ID: a.accessKeyId,
          AWS_SECRET_ACCESS_KEY: a.secretAccessKey,
          AWS_REGION: a.region,
          AWS_ENDPOINT_URL_IOT: controlPlaneUrl,
          // The AWS-standard variable for extra trust anchors: the twin's CA signs its endpoints.
          AWS_CA_BUNDLE: this.ca.file,
        };
        if (dataPort !== undefined) env[MQTT_CONNECT_ENV] = `127.0.0.1:${dataPort}`;
        return {
          accountId: a.accountId,
          region: a.region,
          endpoint: endpointAddress(a, "iot:Data-ATS"),
          dataHost: "127.0.0.1",
          ...(dataPort === undefined ? {} : { dataPort }),
          controlPlaneUrl,
          accessKeyId: a.accessKeyId,
          secretAccessKey: a.secretAccessKey,
          env,
        };
      }),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dataPlane?.close();
    await this.controlPlane.close();
    this.registry.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
