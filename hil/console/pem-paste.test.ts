import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BoardConsole } from "./board-console.ts";
import { LineRefusedError } from "./errors.ts";
import { FakeBoard, type Responder } from "./fixtures/fake-board.ts";
import { pemLines } from "./pem-paste.ts";

const SFS = readFileSync(new URL("../../data/aws-root-cas/SFSRootCAG2.pem", import.meta.url), "latin1");
const NOT_RECOGNIZED = "Command not recognized. Enter 'help' to view a list of available commands.\r\n";
const SUCCESS = "Success: Certificate loaded to label: 'root_ca_cert'.";

/** Just enough of §4.3's reader: per-line checks, silent aborts, a verdict after END. */
function pemReader(options: { derParses?: boolean } = {}): Responder {
  let state: "command" | "header" | "body" = "command";
  return (line, board) => {
    if (state === "command") {
      if (line.startsWith("pki import cert")) state = "header";
      return line.startsWith("pki import cert") ? "" : NOT_RECOGNIZED;
    }
    if (line.length > 64) {
      state = "command";
      return "Error: Current line exceeds maximum line length for a PEM file.\r\n";
    }
    if (state === "header") {
      state = "body";
      return "";
    }
    if (line.startsWith("-----END ")) {
      state = "command";
      if (options.derParses === false) return "";
      board.log("<INF>    30000 [cli       ] Creating a 0x1 type object. (core_pkcs11_mbedtls.c:3094)");
      return [`${SUCCESS}\r\n`, ""];
    }
    if (line.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(line)) state = "command";
    return "";
  };
}

function boardWith(respond: Responder, chunkSize?: number): FakeBoard {
  const board = new FakeBoard(respond, { logDuringEchoAt: 10, logBetweenParts: true, chunkSize });
  board.prompt();
  return board;
}

const openConsole = (board: FakeBoard): Promise<BoardConsole> => BoardConsole.open(board);

describe("pastePem", () => {
  it.each([undefined, 1])(
    "pastes SFSRootCAG2.pem line by line, each after its prompt, and returns the Success line (chunks: %s)",
    async (chunkSize) => {
      const board = boardWith(pemReader(), chunkSize);
      await using console = await openConsole(board);
      const verdict = await console.pastePem("root_ca_cert", SFS);
      expect(verdict).toMatchObject({ ok: true, message: SUCCESS });
      expect(verdict.logs.map((l) => l.message)).toContain("Creating a 0x1 type object.");
      expect(board.lines).toEqual(["pki import cert root_ca_cert", ...pemLines(SFS)]);
      expect(board.lines).toHaveLength(1 + 24);
      expect(board.writesWhileBusy).toBe(0);
    },
  );

  it("returns the firmware's error and stops sending at the line it refused", async () => {
    const board = boardWith(pemReader());
    await using console = await openConsole(board);
    const lines = pemLines(SFS);
    const wide = [lines[0], `${lines[1]}${lines[2]?.slice(0, 8)}`, ...lines.slice(3)].join("\n");
    const verdict = await console.pastePem("root_ca_cert", wide);
    expect(verdict).toMatchObject({
      ok: false,
      kind: "error",
      line: 1,
      message: "Error: Current line exceeds maximum line length for a PEM file.",
    });
    expect(board.lines).toHaveLength(3);
  });

  it("detects a silent abort (§4.3 rule 5) when the next line runs as a command", async () => {
    const board = boardWith(pemReader());
    await using console = await openConsole(board);
    const lines = pemLines(SFS);
    lines[5] = `${lines[5]?.slice(0, 60)}!!!!`;
    const verdict = await console.pastePem("root_ca_cert", lines.join("\r\n"));
    expect(verdict).toMatchObject({ ok: false, kind: "silent-abort", line: 5 });
    expect(board.lines).toEqual(["pki import cert root_ca_cert", ...lines.slice(0, 7)]);
  });

  it("detects the silence after END when the DER is not a certificate", async () => {
    await using console = await openConsole(boardWith(pemReader({ derParses: false })));
    const verdict = await console.pastePem("root_ca_cert", SFS);
    expect(verdict).toMatchObject({ ok: false, kind: "silent-abort", line: 23 });
    expect(verdict.ok ? "" : verdict.message).toMatch(/X\.509/);
  });

  it("refuses, before sending anything, a PEM the line reader cannot take", async () => {
    const board = boardWith(pemReader());
    await using console = await openConsole(board);
    await expect(console.pastePem("root_ca_cert", `${SFS}\n${"A".repeat(128)}`)).rejects.toThrow(
      LineRefusedError,
    );
    await expect(console.pastePem("root_ca_cert", `${SFS}${SFS}`)).rejects.toThrow(
      /after its first END line/,
    );
    await expect(console.pastePem("root_ca_cert", "\r\n\r\n")).rejects.toThrow(/empty PEM/);
    await expect(console.pastePem(`x${"y".repeat(120)}`, SFS)).rejects.toMatchObject({
      code: "LINE_REFUSED",
    });
    expect(board.received).toBe("");
  });
});
