import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { streamerForTablePass } from "./sweep.js";
import { streamTrace, type TraceStreamer } from "./trace-source.js";

describe("streaming for a pass over a table of every page", () => {
  const dir = mkdtempSync(join(tmpdir(), "memsim-sweep-"));
  const refs = "1 2 3 1 2 4\n";
  // Stands for the usual choice (a parse thread on a machine that has one).
  const threaded: TraceStreamer = async () => ({ format: "refs", references: 0 });
  const usual = () => threaded;

  it("parses an uncompressed file, and standard input, in line", () => {
    const plain = join(dir, "plain.txt");
    writeFileSync(plain, refs);
    expect(streamerForTablePass(plain, usual)).toBe(streamTrace);
    expect(streamerForTablePass("-", usual)).toBe(streamTrace);
  });

  it("leaves a compressed file to the usual choice", () => {
    const packed = join(dir, "packed.trace");
    writeFileSync(packed, gzipSync(refs));
    expect(streamerForTablePass(packed, usual)).toBe(threaded);
  });

  it("leaves an unreadable path to the usual choice, which reports it", () => {
    const sub = join(dir, "a-directory");
    mkdirSync(sub);
    expect(streamerForTablePass(join(dir, "missing"), usual)).toBe(threaded);
    expect(streamerForTablePass(sub, usual)).toBe(threaded);
  });
});
