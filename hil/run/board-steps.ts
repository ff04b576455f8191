// Steps that act on the board: configure, reset, power cycle, flash, and breaking or fixing its
// configuration (wrong root CA, wrong Wi-Fi credential).
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { ecdsaSigner, issueCertificate } from "../../crypto/x509-certificate.ts";
import { dataEndpoint } from "../aws/index.ts";
import { configureBoard, readIdentity, resetBoard } from "../provision/index.ts";
import type { Step } from "../../scenarios/scenario.ts";
import { awsRootCa, type ScenarioRun } from "./scenario-run.ts";

const WAIT = { timeoutMs: 30_000 };

export class StepUnsupportedError extends Error {
  readonly code = "STEP_UNSUPPORTED";
  readonly fault = "harness";
}

/** A self-signed root that anchors no AWS endpoint: importing it must fail the handshake (§8.5). */
function foreignRootCa(): string {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = [["CN", "mar-hil foreign root (not an AWS root)"]] as const;
  return new X509Certificate(
    issueCertificate({
      serial: Buffer.from([0x42]),
      issuer: name,
      subject: name,
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2044-01-01T00:00:00Z"),
      publicKey,
      signer: ecdsaSigner(privateKey),
      isCa: true,
    }),
  ).toString();
}

export async function configure(
  run: ScenarioRun,
  step: Extract<Step, { kind: "configure" }>,
): Promise<string> {
  const account = step.account ?? 0;
  const endpoint = step.endpoint ?? (await dataEndpoint(run.account(account).iot));
  const report = await configureBoard(
    run.console,
    {
      mqttEndpoint: endpoint,
      mqttPort: step.port ?? 8883,
      wifiSsid: step.wifiSsid ?? run.lab.wifi.ssid,
      wifiCredential: step.wifiCredential ?? run.lab.wifi.credential,
      rootCaPem: awsRootCa(step.rootCa),
      rootCaSource: step.rootCa ?? "SFSRootCAG2.pem",
    },
    { ...WAIT, signal: run.signal },
  );
  run.identity = await readIdentity(run.console, { ...WAIT, signal: run.signal });
  // Watch the board's presence before it can connect: lifecycle events are not retained.
  await (await run.observer(account)).watchDevice(run.identity.thingName, { within: 10_000 });
  return `${report.steps.length} steps verified; thing ${run.identity.thingName}`;
}

export async function reset(run: ScenarioRun): Promise<string> {
  await run.markConnections();
  run.serialCursor = run.console.mark();
  await resetBoard(run.console, { ...WAIT, signal: run.signal });
  return "Resetting device.";
}

export async function powerCycle(run: ScenarioRun): Promise<string> {
  if (!run.board.powerCycle)
    throw new StepUnsupportedError(`${run.board.id} has no power switch in this lab`);
  await run.markConnections();
  run.serialCursor = run.console.mark();
  await run.board.powerCycle();
  return "power cut and restored";
}

export async function flash(run: ScenarioRun, step: Extract<Step, { kind: "flash" }>): Promise<string> {
  if (!run.board.flash) throw new StepUnsupportedError(`${run.board.id} has no flasher in this lab`);
  await run.markConnections();
  run.serialCursor = run.console.mark();
  await run.board.flash({
    ...(step.profile ? { profile: step.profile } : {}),
    ...(step.bin ? { bin: step.bin } : {}),
  });
  return `flashed ${step.profile ?? step.bin ?? "firmware"}`;
}

export async function breakOnBoard(
  run: ScenarioRun,
  what: "wrong-root-ca" | "wrong-wifi-credential",
): Promise<string> {
  const wait = { ...WAIT, signal: run.signal };
  if (what === "wrong-root-ca") {
    const verdict = await run.console.pastePem("root_ca_cert", foreignRootCa(), wait);
    if (!verdict.ok) throw new Error(`could not import the foreign root CA: ${verdict.message}`);
    return "imported a root CA that anchors no AWS endpoint";
  }
  await run.console.command("conf set wifi_credential not-the-passphrase", wait);
  await run.console.command("conf commit", wait);
  return "committed a wrong Wi-Fi passphrase";
}

export async function fixOnBoard(
  run: ScenarioRun,
  what: "wrong-root-ca" | "wrong-wifi-credential",
): Promise<string> {
  const wait = { ...WAIT, signal: run.signal };
  if (what === "wrong-root-ca") {
    const verdict = await run.console.pastePem("root_ca_cert", awsRootCa(), wait);
    if (!verdict.ok) throw new Error(`could not import SFSRootCAG2: ${verdict.message}`);
    return "imported SFSRootCAG2 again";
  }
  // Staged only: the Wi-Fi task reads the cache at its next attempt (firmware-shell §3.2).
  await run.console.command(`conf set wifi_credential ${run.lab.wifi.credential}`, wait);
  return "set the right Wi-Fi passphrase (staged)";
}
