import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PyRandom } from "../base/index.js";
import { FreeListHeap } from "./free-list.js";
import { type CachePolicy, PageCache, type ReferenceString } from "./page-cache.js";
import { translateLinear } from "./paging-linear.js";
import { buildTwoLevelMachine, walkTwoLevel } from "./paging-multilevel.js";
import { relocate } from "./relocation.js";
import { translateSegmented } from "./segmentation.js";
import { Transcript } from "./transcript.js";

const refs = (pages: number[]): ReferenceString => ({ length: pages.length, pageAt: (i) => pages[i]! });

function misses(policy: CachePolicy, frames: number, pages: number[]): number {
  const cache = new PageCache(policy, frames, 2, new PyRandom(0), refs(pages), new Transcript());
  return pages.filter((p, i) => !cache.access(p, i).hit).length;
}

describe("PageCache", () => {
  const belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
  it("shows Belady's anomaly under FIFO (9 misses with 3 frames, 10 with 4)", () => {
    expect(misses("FIFO", 3, belady)).toBe(9);
    expect(misses("FIFO", 4, belady)).toBe(10);
  });
  it("OPT (Belady) never misses more than any other policy", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        (pages, frames) => {
          const opt = misses("OPT", frames, pages);
          for (const p of ["LRU", "FIFO", "RAND", "CLOCK", "MRU", "UNOPT"] as const) {
            expect(opt).toBeLessThanOrEqual(misses(p, frames, pages));
          }
        },
      ),
    );
  });
  it("LRU is a stack algorithm: more frames never miss more", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 8 }),
        (pages, frames) => {
          expect(misses("LRU", frames + 1, pages)).toBeLessThanOrEqual(misses("LRU", frames, pages));
        },
      ),
    );
  });
});

describe("FreeListHeap", () => {
  const heap = (policy: "BEST" | "WORST" | "FIRST", coalesce: boolean) =>
    new FreeListHeap({
      size: 100,
      start: 1000,
      headerSize: 0,
      policy,
      order: "ADDRSORT",
      coalesce,
      align: null,
    });
  it("splits the chunk found and hands out its front", () => {
    const h = heap("BEST", false);
    expect(h.malloc(10)).toEqual({ addr: 1000, searched: 1, overlap: false });
    expect(h.freeList).toEqual([{ addr: 1010, size: 90 }]);
  });
  it("returns every byte after freeing everything with coalescing", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 12 }),
        fc.constantFrom("BEST", "WORST", "FIRST"),
        (sizes, policy) => {
          const h = heap(policy as "BEST", true);
          const addrs = sizes.map((s) => h.malloc(s).addr).filter((a): a is number => a !== null);
          for (const a of addrs) expect(h.free(a)).toBe(0);
          expect(h.freeList).toEqual([{ addr: 1000, size: 100 }]);
        },
      ),
    );
  });
  it("refuses a double free with -1", () => {
    const h = heap("FIRST", false);
    const a = h.malloc(5).addr!;
    expect(h.free(a)).toBe(0);
    expect(h.free(a)).toBe(-1);
  });
});

describe("translations", () => {
  it("base and bounds: inside the limit adds the base, else a violation", () => {
    expect(relocate({ base: 100, limit: 50 }, 49)).toEqual({ kind: "valid", pa: 149 });
    expect(relocate({ base: 100, limit: 50 }, 50)).toEqual({ kind: "violation" });
  });
  it("segmentation: the upper half grows down from base1 + len1", () => {
    const regs = { base0: 0, len0: 20, base1: 492, len1: 20 };
    expect(translateSegmented(regs, 128, 127)).toEqual({ kind: "valid", segment: 1, pa: 511 });
    expect(translateSegmented(regs, 128, 108)).toEqual({ kind: "valid", segment: 1, pa: 492 });
    expect(translateSegmented(regs, 128, 107)).toEqual({ kind: "violation", segment: 1 });
    expect(translateSegmented(regs, 128, 20)).toEqual({ kind: "violation", segment: 0 });
  });
  it("linear paging uses the low 32 bits of the address, as the original's mask does", () => {
    const pt = { pageBits: 12, pfns: [7, null] };
    expect(translateLinear(pt, 0x123)).toEqual({ kind: "valid", vpn: 0, pa: 0x7123 });
    expect(translateLinear(pt, 2 ** 32 + 0x10)).toEqual({ kind: "valid", vpn: 0, pa: 0x7010 });
    expect(translateLinear(pt, 0x1000)).toEqual({ kind: "invalid", vpn: 1 });
    expect(translateLinear(pt, 0x2000)).toEqual({ kind: "out-of-table", vpn: 2 });
  });
  it("two-level walks reach every allocated page's data", () => {
    for (let seed = 0; seed < 20; seed++) {
      const m = buildTwoLevelMachine(new PyRandom(seed), new Transcript(), 40);
      for (const vpn of m.vpns) {
        const walk = walkTwoLevel(m, (vpn << 5) | 3);
        expect(walk.result.kind).toBe("ok");
        expect(walk.levels).toHaveLength(2);
      }
    }
  });
});
