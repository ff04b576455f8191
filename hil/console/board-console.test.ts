import { describe, expect, it } from "vitest";
import { BoardConsole } from "./board-console.ts";
import {
  EchoMismatchError,
  ExpectAbortedError,
  ExpectTimeoutError,
  ForbiddenOutputError,
  LineRefusedError,
  PortNotBackError,
  RxOverflowError,
  SerialDisconnectedError,
} from "./errors.ts";
import { FakeBoard, INJECTED_LOG, type FakeBoardOptions, type Responder } from "./fixtures/fake-board.ts";
import { TWIN_REPLIES } from "./fixtures/load.ts";

/** A recorded twin reply without its echo, prompt and log lines: what `command()` must return. */
function cleanReply(command: string, rx: string): string {
  const body = rx.slice(command.length + 2);
  return body.slice(0, body.search(/\n> /) + 1).replace(/<[A-Z]{3}> [^\r\n]*\r\n/g, "");
}

/** The reply cut at every line end, so that a log can be printed at each boundary. */
const partsOf = (text: string): string[] => text.split(/(?<=\n)/);

const REPLIES = new Map(TWIN_REPLIES.map((r) => [r.command, cleanReply(r.command, r.rx)]));
const fromRecording: Responder = (line) => partsOf(REPLIES.get(line) ?? "Command not recognized.\r\n");

function boardWith(respond: Responder, options: FakeBoardOptions = {}, prompt = true): FakeBoard {
  const board = new FakeBoard(respond, options);
  if (prompt) board.prompt();
  return board;
}

const openConsole = (board: FakeBoard): Promise<BoardConsole> =>
  BoardConsole.open(board, { syncRetryMs: 20, reopenTimeoutMs: 2000 });

describe("BoardConsole over a scripted board", () => {
  describe.each([
    ["whole reads", {}],
    ["1-byte reads", { chunkSize: 1 }],
  ])(
    "every recorded twin reply with logs at every line boundary and inside the echo (%s)",
    (_name, chunking) => {
      it.each(TWIN_REPLIES.map((r) => r.command))("%s", async (command) => {
        const expected = REPLIES.get(command) as string;
        const board = boardWith(fromRecording, {
          ...chunking,
          logBetweenParts: true,
          logDuringEchoAt: Math.floor(command.length / 2),
        });
        await using console = await openConsole(board);
        const reply = await console.command(command);
        expect(reply.text).toBe(expected);
        expect(reply.unterminated).toBe(false);
        expect(reply.logs.map((l) => l.raw)).toEqual(Array(partsOf(expected).length).fill(INJECTED_LOG));
        expect(board.lines).toEqual([command]);
        expect(board.writesWhileBusy).toBe(0);
      });
    },
  );

  it("answers commands back to back, each sent only after the previous prompt", async () => {
    const board = boardWith(fromRecording, { chunkSize: 3, logBetweenParts: true });
    await using console = await openConsole(board);
    const replies = await Promise.all(["conf get", "uptime", "conf commit"].map((c) => console.command(c)));
    expect(replies.map((r) => r.lines[0])).toEqual([
      'thing_name="eval3-0209EEE77C8C058342013"',
      "up 0 day(s) 00:00:11.600",
      "Configuration saved to NVM.",
    ]);
    expect(board.lines).toEqual(["conf get", "uptime", "conf commit"]);
    expect(board.writesWhileBusy).toBe(0);
  });

  it("finds a prompt with Ctrl-C when it connected after the board printed one (§1.3)", async () => {
    const board = boardWith(() => "up 0 day(s) 00:00:01.000\r\n", {}, false);
    await using console = await openConsole(board);
    board.prompt();
    // Nothing of that prompt is seen before the console asks, in the worst case: Ctrl-C brings a fresh one.
    const reply = await console.command("uptime");
    expect(reply.text).toBe("up 0 day(s) 00:00:01.000\r\n");
    expect(board.lines).toEqual(["uptime"]);
  });

  it("keeps sending Ctrl-C until the CLI is up (input before it is lost, §1.1)", async () => {
    const board = new FakeBoard(() => "ok.\r\n");
    await using console = await BoardConsole.open(board, { syncRetryMs: 10 });
    const reply = console.command("ps");
    // The board starts reading only after the console has already written at least once.
    await new Promise<void>((resolve) => {
      const poll = (): void => (board.received.length > 0 ? resolve() : void setImmediate(poll));
      poll();
    });
    board.prompt();
    expect((await reply).text).toBe("ok.\r\n");
  });

  it("returns output that ends without CRLF with the prompt on the same line (§1.2)", async () => {
    await using console = await openConsole(
      boardWith(() => "ERROR: Failed to parse public key.", { chunkSize: 1 }),
    );
    const reply = await console.command("pki import key");
    expect(reply).toMatchObject({ text: "ERROR: Failed to parse public key.", unterminated: true });
    expect(reply.lines).toEqual(["ERROR: Failed to parse public key."]);
  });

  it("refuses, before sending, a line the firmware would discard or split (§1.3)", async () => {
    const board = boardWith(() => "");
    await using console = await openConsole(board);
    const long = `conf set mqtt_endpoint ${"a".repeat(128 - 23)}`;
    expect(long).toHaveLength(128);
    await expect(console.command(long)).rejects.toThrow(LineRefusedError);
    await expect(console.command("conf get\rreset")).rejects.toMatchObject({
      code: "LINE_REFUSED",
      fault: "user",
    });
    await expect(console.command("conf get\n")).rejects.toThrow(/CR, LF or NUL/);
    await expect(console.command("")).rejects.toThrow(/empty/);
    await expect(console.command("ps\x03")).rejects.toThrow(/Ctrl-C/);
    expect(board.received).toBe("");
    const fits = long.slice(0, 127);
    await console.command(fits);
    expect(board.lines).toEqual([fits]);
  });

  it("reports an echo that differs from the line sent (bytes lost on the wire)", async () => {
    await using console = await openConsole(boardWith(() => "", { dropInputAt: 6 }));
    const failure = await console.command("conf get").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EchoMismatchError);
    expect(failure).toMatchObject({
      code: "ECHO_MISMATCH",
      fault: "device",
      sent: "conf get",
      echoed: "conf gt",
    });
  });

  it("fails the command when the firmware logs that its receive buffer overflowed (§1.1)", async () => {
    const overflow =
      "<WRN>     1234 [uartRx    ] Dropped 12 bytes. Console receive buffer full. (cli_uart_drv.c:236)";
    const board = boardWith((_l, b) => {
      b.log(overflow);
      return "Configuration saved to NVM.\r\n";
    });
    await using console = await openConsole(board);
    await expect(console.command("conf commit")).rejects.toThrow(RxOverflowError);
  });

  it("says what it waited for, how long and what it saw when no prompt comes", async () => {
    await using console = await openConsole(boardWith(() => new Promise<string>(() => {})));
    const failure = (await console
      .command("conf commit", { timeoutMs: 50 })
      .catch((e: unknown) => e)) as ExpectTimeoutError;
    expect(failure).toBeInstanceOf(ExpectTimeoutError);
    expect(failure.code).toBe("EXPECT_TIMEOUT");
    expect(failure.fault).toBe("device");
    expect(failure.pattern).toBe('prompt after the reply to "conf commit"');
    expect(failure.elapsedMs).toBeGreaterThan(0);
    expect(failure.lastLines).toContain("> conf commit");
    expect(failure.message).toContain('"> conf commit"');
  });

  it("stops waiting when the caller's signal aborts", async () => {
    await using console = await openConsole(boardWith(() => new Promise<string>(() => {})));
    const controller = new AbortController();
    const pending = console.command("conf commit", { signal: controller.signal, timeoutMs: 60_000 });
    const waiting = console.expect(/never/, { signal: controller.signal, timeoutMs: 60_000 });
    controller.abort(new Error("operator pressed Ctrl-C"));
    await expect(pending).rejects.toThrow(ExpectAbortedError);
    await expect(waiting).rejects.toMatchObject({ code: "EXPECT_ABORTED", pattern: "/never/" });
    await expect(console.expect("x", { signal: controller.signal })).rejects.toThrow(
      /operator pressed Ctrl-C/,
    );
  });

  it("keeps log lines on their own channel", async () => {
    const board = boardWith(fromRecording, { logDuringEchoAt: 0 });
    await using console = await openConsole(board);
    const seen: string[] = [];
    const stop = console.onLog((l) => seen.push(l.task));
    const mark = console.mark();
    await console.command("uptime");
    board.log("<ERR>    20000 [MQTTAgent ] Terminating MqttAgentTask. (mqtt_agent_task.c:1299)");
    await board.flushed();
    stop();
    expect(seen).toEqual(["MxNet", "MQTTAgent"]);
    expect(console.logs(mark).map((l) => l.source)).toEqual(["mx_netconn.c:349", "mqtt_agent_task.c:1299"]);
  });
});

describe("BoardConsole.expect", () => {
  it("matches a regex, an exact line or any of several, from a mark taken before", async () => {
    const board = boardWith(fromRecording);
    await using console = await openConsole(board);
    const mark = console.mark();
    await console.command("conf get");
    board.log(
      "<INF>    17371 [MQTTAgent ] Network connection 0x20033c10: TLS handshake successful. (mbedtls_transport.c:1368)",
    );
    const regex = await console.expect(/thing_name="(eval3-[0-9A-F]+)"/, { since: mark });
    expect(regex.groups?.[1]).toBe("eval3-0209EEE77C8C058342013");
    expect((await console.expect({ exact: "mqtt_port=8883" }, { since: mark })).line.kind).toBe("output");
    const any = await console.expect(
      { anyOf: [/Connection to .* established/, "TLS handshake successful", /handshake failed/] },
      { since: mark, channel: "logs" },
    );
    expect(any.alternative).toBe(1);
    expect(any.line.log?.level).toBe("INF");
  });

  it("fails at once when a must-not-appear pattern shows up first", async () => {
    const board = boardWith(fromRecording);
    await using console = await openConsole(board);
    const waiting = console.expect("Successfully sent QoS 1 publish", {
      forbid: [/Connecting to the mqtt broker failed/],
      timeoutMs: 60_000,
    });
    board.log(
      "<WRN>    16000 [MQTTAgent ] Connecting to the mqtt broker failed. Retrying connection in 700 ms. (mqtt_agent_task.c:1138)",
    );
    const failure = await waiting.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ForbiddenOutputError);
    expect(failure).toMatchObject({
      code: "EXPECT_FORBIDDEN",
      pattern: "/Connecting to the mqtt broker failed/",
    });
  });

  it("names the pattern and the last lines on timeout", async () => {
    await using console = await openConsole(boardWith(fromRecording));
    await console.command("uptime");
    const failure = (await console
      .expect({ exact: "DONE" }, { timeoutMs: 20 })
      .catch((e: unknown) => e)) as ExpectTimeoutError;
    expect(failure).toMatchObject({ code: "EXPECT_TIMEOUT", pattern: 'line "DONE"' });
    expect(failure.lastLines.slice(-2)).toEqual(["> uptime", "up 0 day(s) 00:00:11.600"]);
  });
});

describe("BoardConsole when the port vanishes", () => {
  it("fails the command in flight, reopens within the bound and reports the wait", async () => {
    const board = boardWith((line, b) => {
      if (line === "reset") {
        // The board reboots and its USB port re-enumerates: it is absent for two attempts.
        b.failOpens = 2;
        b.vanish();
        return "Resetting device.";
      }
      return "up 0 day(s) 00:00:00.100\r\n";
    });
    await using console = await openConsole(board);
    await expect(console.command("reset")).rejects.toThrow(SerialDisconnectedError);
    await console.whenOpen({ timeoutMs: 2000 });
    expect(console.reopens).toHaveLength(1);
    expect(console.reopens[0]?.attempts).toBe(3);
    board.prompt();
    expect((await console.command("uptime")).text).toBe("up 0 day(s) 00:00:00.100\r\n");
    expect(
      console.transcript
        .entries()
        .filter((e) => e.dir === "event")
        .map((e) => e.data),
    ).toEqual([
      "opened fake-board",
      "link closed: device disconnected",
      expect.stringMatching(/^reopened fake-board after \d+ ms \(3 attempts\)$/),
    ]);
  });

  it("gives up after the bound with SERIAL_NOT_BACK", async () => {
    const board = new FakeBoard(() => "");
    await using console = await BoardConsole.open(board, { reopenTimeoutMs: 30 });
    board.failOpens = Infinity;
    board.vanish();
    const failure = await console.whenOpen().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PortNotBackError);
    expect(failure).toMatchObject({
      code: "SERIAL_NOT_BACK",
      target: "fake-board",
      lastError: "fake board: no such port",
    });
    await expect(console.command("ps")).rejects.toThrow(PortNotBackError);
  });
});
