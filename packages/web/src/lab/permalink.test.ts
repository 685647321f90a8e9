import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeLink, encodeLink, fromBase64Url, type LinkState, toBase64Url } from "./permalink.js";

describe("permalinks", () => {
  it("round-trips any state", async () => {
    const state = fc.record(
      {
        view: fc.constantFrom("machine", "replacement", "heap"),
        scenario: fc.string({ unit: "grapheme", maxLength: 400 }),
        step: fc.nat(),
        refs: fc.string(),
        policies: fc.array(fc.constantFrom("lru", "fifo", "opt", "clock")),
        frames: fc.nat(64),
        predict: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const hash = await encodeLink(s as LinkState);
        expect(hash).toMatch(/^#v1\.[A-Za-z0-9_-]*$/);
        expect(await decodeLink(hash)).toEqual({ kind: "state", state: s });
      }),
      { numRuns: 50 },
    );
  });

  it("compresses a scenario well below its length", async () => {
    const scenario = "A write heap+0 4k\n".repeat(50);
    const hash = await encodeLink({ scenario });
    expect(hash.length).toBeLessThan(scenario.length / 5);
  });

  it("explains why a hash cannot be read", async () => {
    expect(await decodeLink("")).toEqual({ kind: "none" });
    expect(await decodeLink("#v2.abc")).toMatchObject({
      kind: "error",
      message: expect.stringContaining("#v1."),
    });
    expect(await decodeLink("#v1.a$b")).toMatchObject({
      kind: "error",
      message: expect.stringContaining("base64url"),
    });
    expect(await decodeLink("#v1.AAAA")).toMatchObject({ kind: "error" });
    const wrongType = await encodeLink({ frames: -3 } as LinkState);
    expect(await decodeLink(wrongType)).toEqual({
      kind: "error",
      message: 'link: field "frames" should be a whole number ≥ 0',
    });
  });

  it("base64url matches the RFC 4648 test vectors", () => {
    const enc = (s: string) => toBase64Url(new TextEncoder().encode(s));
    expect(["", "f", "fo", "foo", "foob", "fooba", "foobar"].map(enc)).toEqual([
      "",
      "Zg",
      "Zm8",
      "Zm9v",
      "Zm9vYg",
      "Zm9vYmE",
      "Zm9vYmFy",
    ]);
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
    expect(fromBase64Url("-_8")).toEqual(new Uint8Array([0xfb, 0xff]));
  });
});
