// The account move MAR exists for (aws-iot §1.1, §1.2): the same certificate registered in account B,
// the board pointed at B's endpoint (here an mqtt.js device that reconnects with B's SNI), seen
// connected in B by an observer, then deregistered from A — and a failed move keeps A intact.
import { DescribeCertificateCommand, ListThingsCommand, type IoTClient } from "@aws-sdk/client-iot";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttObserver } from "../observe/index.ts";
import { AccountMoveError, AwsRun, moveAccount, type BoardEndpointSwitch } from "./index.ts";
import { connectedDevice } from "./test-support/device.ts";
import { boardIdentity, startTwin, type TwinUnderTest } from "./test-support/twin.ts";

let t: TwinUnderTest;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(async () => {
  await t?.[Symbol.asyncDispose]();
});

/** A board twin stand-in: `pointAt` drops the session and reconnects to the account named by the endpoint. */
function mqttBoard(board: ReturnType<typeof boardIdentity>, reconnect = true) {
  const accountOf = (endpoint: string) => t.accounts.findIndex((a) => a.endpoint === endpoint);
  const state: { client?: MqttClient; endpoints: string[] } = { endpoints: [] };
  const connectTo = async (i: number) => {
    state.client = await connectedDevice({
      iot: t.iot[i]!,
      env: t.accounts[i]!.env,
      ca: t.caPem,
      clientId: board.thingName,
      certificatePem: board.certificatePem,
      keyPem: board.keyPem,
    });
  };
  const switcher: BoardEndpointSwitch = {
    async pointAt(target) {
      state.endpoints.push(target.endpoint);
      if (!reconnect) return; // a board that never resets: still connected to A
      await state.client?.endAsync();
      await connectTo(accountOf(target.endpoint));
    },
  };
  return { state, switcher, connectTo };
}

const certificateIn = (iot: IoTClient, certificateId: string) =>
  iot.send(new DescribeCertificateCommand({ certificateId })).then(
    (r) => r.certificateDescription,
    (e: Error) => (e.name === "ResourceNotFoundException" ? undefined : Promise.reject(e)),
  );

describe("moveAccount", () => {
  it("registers the same certificate in B, points the board at B, sees it connected there, and deregisters it from A", async () => {
    const [a, b] = [t.iot[0]!, t.iot[1]!];
    const board = boardIdentity("M1");
    await using run = new AwsRun({ runId: "run-move" });
    const inA = await run.register(a, board);
    const device = mqttBoard(board);
    await device.connectTo(0);
    await using observerB = await MqttObserver.connect({ iot: b, env: t.accounts[1]!.env, ca: t.caPem });
    await observerB.watchDevice(board.thingName);

    const moved = await moveAccount({
      device: board,
      from: { iot: a, registration: inA },
      to: { iot: b },
      runId: run.runId,
      board: device.switcher,
      confirmConnected: async (_target, signal) => {
        await observerB.expectConnected(board.thingName, { within: 10_000, signal });
      },
    });
    run.untrack(inA);
    run.track(b, moved.registration);

    expect(moved.endpoint).toBe(t.accounts[1]!.endpoint);
    expect(device.state.endpoints).toEqual([t.accounts[1]!.endpoint]);
    expect(moved.registration.certificateId).toBe(inA.certificateId);
    expect(moved.registration.certificateArn).not.toBe(inA.certificateArn);
    expect(moved.registration.accountId).toBe(t.accounts[1]!.accountId);
    expect(moved.deregistered.deletedCertificates).toEqual([inA.certificateArn]);
    expect(await certificateIn(a, inA.certificateId)).toBeUndefined();
    const { things } = await a.send(new ListThingsCommand({}));
    expect(things?.map((x) => x.thingName)).not.toContain(board.thingName);
    expect(await certificateIn(b, inA.certificateId)).toMatchObject({
      status: "ACTIVE",
      certificateMode: "SNI_ONLY",
    });

    // The board now publishes in B, under the least-privilege policy of B.
    await device.state.client!.publishAsync(`${board.thingName}/mqtt_test`, '{"message": "Test message 1"}', {
      qos: 1,
    });
    await observerB.expectPublications(`${board.thingName}/mqtt_test`, { within: 10_000 });
    await device.state.client!.endAsync();
  });

  it("keeps the registration in A when the board is not seen in B (ACCOUNT_MOVE_FAILED)", async () => {
    const [a, b] = [t.iot[0]!, t.iot[1]!];
    const board = boardIdentity("M2");
    await using run = new AwsRun({ runId: "run-move-fails" });
    const inA = await run.register(a, board);
    const device = mqttBoard(board, false);
    await device.connectTo(0);
    await using observerB = await MqttObserver.connect({ iot: b, env: t.accounts[1]!.env, ca: t.caPem });
    await observerB.watchDevice(board.thingName);

    const failed = moveAccount({
      device: board,
      from: { iot: a, registration: inA },
      to: { iot: b },
      runId: run.runId,
      board: device.switcher,
      confirmConnected: async (_target, signal) => {
        await observerB.expectConnected(board.thingName, { within: 300, signal });
      },
    });
    const e = await failed.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AccountMoveError);
    expect(e).toMatchObject({ code: "ACCOUNT_MOVE_FAILED", fault: "device" });
    expect((e as Error).message).toContain(`lifecycle event connected/${board.thingName}`);
    expect(await certificateIn(a, inA.certificateId)).toMatchObject({ status: "ACTIVE" });
    // B's registration comes with the error; the run cleans up both accounts.
    const inB = (e as AccountMoveError).registration;
    expect(await certificateIn(b, inB.certificateId)).toMatchObject({ status: "ACTIVE" });
    run.track(b, inB);
    expect(device.state.client!.connected).toBe(true);
    await device.state.client!.endAsync();
  });
});
