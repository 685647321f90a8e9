import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FastRng } from "../base/rng.js";
import { PreviousTimes } from "./latest-times.js";
import { LruStackDistance } from "./stack-distance.js";

/** Stack distances by moving each page to the top of a plain list (0 for a first reference). */
function listDistances(keys: readonly number[]): number[] {
  const stack: number[] = [];
  return keys.map((k) => {
    const i = stack.indexOf(k);
    if (i >= 0) stack.splice(i, 1);
    stack.unshift(k);
    return i + 1;
  });
}

/** Misses at `frames` from a list of distances. */
function missesFrom(distances: readonly number[], frames: number): number {
  return distances.filter((d) => d === 0 || d > frames).length;
}

/** Pushes `keys` in chunks of the given sizes (cycled). */
function pushInChunks(sd: LruStackDistance, keys: readonly number[], sizes: readonly number[]): void {
  const all = Float64Array.from(keys);
  for (let i = 0, c = 0; i < all.length; c++) {
    const n = Math.min(all.length - i, sizes[c % sizes.length]!);
    sd.push(all.subarray(i), n);
    i += n;
  }
}

describe("stack distances in batches", () => {
  // Long enough to cross many 4,096-time super blocks inside one push, with recent and old
  // previous references, small and hash-mapped page numbers, and chunks of any size.
  const trace = (seed: number, length: number, pages: number) => {
    const rng = new FastRng(seed);
    return Array.from({ length }, (_, t) => {
      const k = rng.random() < 0.2 ? t % pages : Math.floor(pages * rng.random() ** 2);
      return k % 5 === 4 ? 2 ** 40 + 4097 * k : k;
    });
  };

  it("match a plain LRU list at every size, whatever the chunk sizes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(64, 1 << 16),
        (seed, sizes, window) => {
          const keys = trace(seed, 20_000, 300);
          const want = listDistances(keys);
          const sd = new LruStackDistance(window);
          pushInChunks(sd, keys, sizes);
          const curve = sd.missCurve(302);
          for (let c = 1; c <= 302; c++) expect(curve[c]).toBe(missesFrom(want, c));
          expect(sd.references).toBe(keys.length);
          expect(sd.cold).toBe(new Set(keys).size);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("equal one reference at a time", () => {
    const keys = trace(3, 30_000, 2000);
    const one = new LruStackDistance();
    const distances = keys.map((k) => one.reference(k));
    const batched = new LruStackDistance();
    pushInChunks(batched, keys, [30_000]);
    for (const c of [1, 2, 10, 100, 999, 1500, 2001])
      expect(batched.misses(c)).toBe(distances.filter((d) => d > c).length);
    expect(batched.missCurve(2001)).toEqual(one.missCurve(2001));
  });

  it("stay exact up to a bounded depth, in chunks", () => {
    const keys = trace(5, 20_000, 400);
    const want = listDistances(keys);
    const sd = new LruStackDistance(64, 50);
    pushInChunks(sd, keys, [1, 700, 4097]);
    for (let c = 1; c <= 50; c++) expect(sd.misses(c)).toBe(missesFrom(want, c));
    expect(sd.distinct).toBeLessThanOrEqual(50);
  });

  it("count previous times looked up apart (another thread's PreviousTimes) exactly", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(64, 5000, 1 << 16),
        (seed, lookupSizes, countSizes, window) => {
          const keys = trace(seed, 20_000, 300 + (seed % 3) * 1500);
          const want = listDistances(keys);
          // The lookups in chunks of one set of sizes, the counting in chunks of another.
          const prev = new Int32Array(keys.length);
          const times = new PreviousTimes(window);
          const all = Float64Array.from(keys);
          for (let i = 0, c = 0; i < all.length; c++) {
            const n = Math.min(all.length - i, lookupSizes[c % lookupSizes.length]!);
            times.push(all.subarray(i), n, prev.subarray(i));
            i += n;
          }
          const sd = new LruStackDistance(window);
          for (let i = 0, c = 0; i < prev.length; c++) {
            const n = Math.min(prev.length - i, countSizes[c % countSizes.length]!);
            sd.pushPrevious(prev.subarray(i), n);
            i += n;
          }
          const top = new Set(keys).size + 1;
          const curve = sd.missCurve(top);
          for (let c = 1; c <= top; c += Math.max(1, Math.floor(top / 200)))
            expect(curve[c]).toBe(missesFrom(want, c));
          const inThread = new LruStackDistance(window);
          pushInChunks(inThread, keys, countSizes);
          expect(curve).toEqual(inThread.missCurve(top));
          expect(sd.references).toBe(keys.length);
          expect(sd.distinct).toBe(top - 1);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("take previous times only without a depth, and never mixed with keys", () => {
    expect(() => new LruStackDistance(64, 10).pushPrevious(new Int32Array([-1]), 1)).toThrow(/unbounded/);
    const first = new LruStackDistance();
    first.pushPrevious(new Int32Array([-1, 0]), 2);
    expect(first.cold).toBe(1);
    expect(() => first.push(new Float64Array([3]), 1)).toThrow(/not both/);
    expect(() => first.reference(3)).toThrow(/not both/);
    const keys = new LruStackDistance();
    keys.reference(3);
    expect(() => keys.pushPrevious(new Int32Array([-1]), 1)).toThrow(/not both/);
    keys.push(new Float64Array([3]), 1);
    expect(keys.misses(1)).toBe(1);
  });
});
