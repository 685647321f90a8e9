import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readRefs, readTraceFile } from "./refs.js";

describe("reference input", () => {
  it("reads typed page numbers with the engine's refs grammar", () => {
    expect(readRefs("1,2 3\n# comment\n0x10, 7 # tail\n\n  4")).toEqual({
      kind: "refs",
      refs: Float64Array.from([1, 2, 3, 16, 7, 4]),
      format: "refs",
    });
  });

  it("names the place of a mistake", () => {
    const r = readRefs("1 2\n3 x4 5", "typed");
    expect(r.kind).toBe("error");
    expect(r.kind === "error" && r.message).toMatch(/^typed:2/);
  });

  it("streams a Lackey trace file in small chunks, detected from its content", async () => {
    const lackey = "==1== lackey\nI  04000000,3\n L 04001ff8,16\n S 7ff000010,8\nI  04000003,2\n";
    const chunks = [...lackey].map((c) => new TextEncoder().encode(c));
    const file = new Blob(chunks);
    const r = await readTraceFile(file, "run.lackey");
    // 0x4000000 → page 0x4000; the load at 0x4001ff8 crosses into page 0x4002.
    expect(r).toEqual({
      kind: "refs",
      refs: Float64Array.from([0x4000, 0x4001, 0x4002, 0x7ff000, 0x4000]),
      format: "lackey",
    });
  });

  it("reads a gzipped refs file", async () => {
    const r = await readTraceFile(new Blob([gzipSync("5 6 7\n5\n")]), "refs.txt.gz");
    expect(r).toEqual({ kind: "refs", refs: Float64Array.from([5, 6, 7, 5]), format: "refs" });
  });
});
