import { createPolicy, simulateSizes } from "@memsim/core";
import { describe, expect, it } from "vitest";
import { compare, curveSizes, missCurve } from "./replace.js";

const make = (name: string, capacity: number) => createPolicy(name, { capacity });
const BELADY = Float64Array.from([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]);

describe("replacement comparison", () => {
  it("finds Belady's anomaly for FIFO and none for LRU or OPT", () => {
    const r = compare(
      BELADY,
      { policies: ["fifo", "lru", "opt"], frames: 3, maxFrames: 6, gridLimit: 100 },
      make,
    );
    expect(r.anomalies).toEqual([{ policy: "fifo", frames: 3, misses: 9, moreFrames: 4, moreMisses: 10 }]);
    expect(r.totals).toEqual([
      { policy: "fifo", misses: 9 },
      { policy: "lru", misses: 10 },
      { policy: "opt", misses: 7 },
    ]);
    expect(r.curves[0]!.frames).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.distinctPages).toBe(5);
  });

  it("draws LRU's curve from one stack-distance pass, equal to per-size runs", () => {
    const refs = Float64Array.from({ length: 3000 }, (_, i) => ((i * 2654435761) >>> 0) % 97);
    const sizes = [1, 5, 20, 50, 96, 97, 120];
    expect(missCurve("lru", sizes, refs).misses).toEqual(
      simulateSizes("lru", sizes, refs, refs.length).points.map((p) => p.misses),
    );
  });

  it("samples fewer sizes when the trace is long, always keeping both ends", () => {
    expect(curveSizes(12, 8, 2)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const sparse = curveSizes(10_000_000, 4096, 2);
    expect(sparse.length).toBeLessThan(10);
    expect(sparse[0]).toBe(1);
    expect(sparse.at(-1)).toBe(4096);
  });

  it("grids only the first references but totals all of them", () => {
    const refs = Float64Array.from({ length: 500 }, (_, i) => i % 7);
    const r = compare(refs, { policies: ["lru"], frames: 6, maxFrames: 8, gridLimit: 50 }, make);
    expect(r.refs.length).toBe(50);
    expect(r.grids[0]!.steps).toBe(50);
    expect(r.totals[0]!.misses).toBe(500);
  });
});
