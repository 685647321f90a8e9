import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FastRng } from "../base/rng.js";
import { createPolicy } from "../replacement/registry.js";
import { ReplacementSim } from "../replacement/sim.js";
import { findAnomalies } from "./anomaly.js";
import { curveSizes, simulateSizes } from "./curves.js";
import { LruStackDistance } from "./stack-distance.js";
import { WorkingSetCurve } from "./working-set.js";

function lruMisses(keys: number[], frames: number): number {
  const sim = new ReplacementSim(createPolicy("lru", { capacity: frames }));
  sim.run({ keys: Float64Array.from(keys), count: keys.length });
  return sim.misses;
}

describe("one-pass LRU miss-ratio curve", () => {
  it("equals a per-size LRU run at every size (random traces, tiny window forces compaction)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 600 }), (keys) => {
        const sd = new LruStackDistance(64);
        sd.push(Float64Array.from(keys), keys.length);
        const distinct = new Set(keys).size;
        const curve = sd.missCurve(distinct + 2);
        for (let c = 1; c <= distinct + 2; c++) {
          const want = lruMisses(keys, c);
          expect(curve[c]).toBe(want);
          expect(sd.misses(c)).toBe(want);
        }
        expect(sd.cold).toBe(distinct);
      }),
      { numRuns: 80 },
    );
  });
  it("handles a long skewed trace with many compactions", () => {
    const rng = new FastRng(9);
    const keys = Array.from({ length: 50_000 }, () => Math.floor(3000 * rng.random() ** 3));
    const sd = new LruStackDistance(64);
    sd.push(Float64Array.from(keys), keys.length);
    for (const c of [1, 7, 100, 640, 2999]) expect(sd.misses(c)).toBe(lruMisses(keys, c));
  });
  it("gives textbook stack distances", () => {
    const sd = new LruStackDistance();
    expect([1, 2, 3, 1, 1, 2].map((k) => sd.reference(k))).toEqual([Infinity, Infinity, Infinity, 3, 1, 3]);
  });
});

describe("per-size curves and Belady's anomaly", () => {
  const belady = Float64Array.from([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]);
  it("FIFO on Belady's string faults more with 4 frames than with 3", () => {
    const curve = simulateSizes("fifo", [1, 2, 3, 4, 5], belady, belady.length);
    expect(curve.points.map((p) => p.misses)).toEqual([12, 12, 9, 10, 5]);
    expect(findAnomalies(curve.points)).toEqual([{ frames: 3, misses: 9, moreFrames: 4, moreMisses: 10 }]);
  });
  it("stack algorithms show no anomaly", () => {
    for (const p of ["lru", "opt"])
      expect(findAnomalies(simulateSizes(p, [1, 2, 3, 4, 5, 6], belady, belady.length).points)).toEqual([]);
  });
  it("OPT never misses more than LRU", () => {
    const rng = new FastRng(4);
    const keys = Float64Array.from({ length: 3000 }, () => rng.below(50));
    const opt = simulateSizes("opt", [5, 20, 40], keys, keys.length).points;
    const lru = simulateSizes("lru", [5, 20, 40], keys, keys.length).points;
    for (const [i, p] of opt.entries()) expect(p.misses).toBeLessThanOrEqual(lru[i]!.misses);
  });
  it("curveSizes covers 1..max ascending without duplicates", () => {
    expect(curveSizes(5, 10)).toEqual([1, 2, 3, 4, 5]);
    const s = curveSizes(10000, 20);
    expect(s[0]).toBe(1);
    expect(s.at(-1)).toBe(10000);
    expect(new Set(s).size).toBe(s.length);
    expect([...s].sort((a, b) => a - b)).toEqual(s);
  });
});

describe("working-set size", () => {
  it("matches counting distinct pages in each window directly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        (keys, tau) => {
          const ws = new WorkingSetCurve(tau, 1);
          keys.forEach((k, t) => {
            const got = ws.reference(k);
            expect(got).toBe(new Set(keys.slice(Math.max(0, t - tau + 1), t + 1)).size);
          });
          expect(ws.samples.length).toBe(keys.length);
        },
      ),
    );
  });
});

describe("stack distances with a bounded depth", () => {
  it("give the exact curve for every size up to the depth", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 800 }),
        fc.integer({ min: 1, max: 20 }),
        (keys, depth) => {
          const sd = new LruStackDistance(64, depth);
          sd.push(Float64Array.from(keys), keys.length);
          const curve = sd.missCurve(depth);
          for (let c = 1; c <= depth; c++) expect(curve[c]).toBe(lruMisses(keys, c));
          expect(sd.distinct).toBeLessThanOrEqual(depth);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("bounded stack distances over many compactions", () => {
  it("stay exact up to the depth on a long skewed trace", () => {
    const rng = new FastRng(12);
    const keys = Array.from({ length: 60_000 }, () => Math.floor(5000 * rng.random() ** 2));
    const sd = new LruStackDistance(64, 700);
    sd.push(Float64Array.from(keys), keys.length);
    for (const c of [1, 50, 333, 700]) expect(sd.misses(c)).toBe(lruMisses(keys, c));
  });
});

describe("stack distances over small and large page numbers alike", () => {
  // Small keys index a flat table, large ones a hash map: both, and the boundary, mixed.
  const spread = (k: number) => (k % 3 === 0 ? k : k % 3 === 1 ? 2 ** 22 - 2 + k : 2 ** 40 + 4097 * k);
  it("equal per-size LRU runs, unbounded and bounded", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 600 }),
        fc.integer({ min: 1, max: 20 }),
        (small, depth) => {
          const keys = small.map(spread);
          const sd = new LruStackDistance(64);
          sd.push(Float64Array.from(keys), keys.length);
          const bounded = new LruStackDistance(64, depth);
          bounded.push(Float64Array.from(keys), keys.length);
          for (let c = 1; c <= depth; c++) {
            const want = lruMisses(keys, c);
            expect(sd.misses(c)).toBe(want);
            expect(bounded.misses(c)).toBe(want);
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
