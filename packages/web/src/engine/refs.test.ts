import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RefsReader, readRefs } from "./refs.js";

describe("reference strings", () => {
  it("reads decimal and hex pages separated by spaces, commas and lines, skipping comments", () => {
    const read = readRefs("1,2 3\n# comment\n0x10, 7 # tail\n\n  4");
    expect(read).toEqual({ kind: "refs", refs: Int32Array.from([1, 2, 3, 16, 7, 4]) });
  });

  it("names the line and column of a bad token", () => {
    expect(readRefs("1 2\n3 x4 5", "trace.txt")).toEqual({
      kind: "error",
      message: 'trace.txt:2:3: expected a page number, found "x4"',
    });
    expect(readRefs("-1")).toMatchObject({ kind: "error", message: expect.stringContaining(":1:1:") });
  });

  it("gives the same pages however the text is cut into chunks", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1_000_000), { maxLength: 200 }), fc.array(fc.nat(40)), (pages, cuts) => {
        const text = pages
          .map((p, i) => (i % 7 === 6 ? `${p}\n` : i % 2 ? `${p}, ` : `0x${p.toString(16)} `))
          .join("");
        const reader = new RefsReader("chunks");
        let at = 0;
        for (const cut of cuts) {
          reader.push(text.slice(at, at + cut));
          at += cut;
        }
        reader.push(text.slice(at));
        expect(reader.finish()).toEqual({ kind: "refs", refs: Int32Array.from(pages) });
      }),
    );
  });
});
