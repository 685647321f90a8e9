/**
 * A window of the benchmark's Zipf trace, regenerated here exactly as
 * ../shared/tools/gen_traces.c makes it (splitmix64, inverse-CDF bounded Zipf α=1 over 1M
 * pages), checked against the C tool's first outputs, then LRU at the size (7,630
 * frames) counted three independent ways. The whole-trace figure (4,366,851 misses) is
 * asserted by bench/replace.bench.ts.
 */
import { describe, expect, it } from "vitest";
import { createPolicy } from "../replacement/registry.js";
import { ReplacementSim } from "../replacement/sim.js";
import { LruStackDistance } from "./stack-distance.js";

const M64 = (1n << 64n) - 1n;

function zipfWindow(n: number, pages = 1_000_000): Float64Array {
  const prefix = new Float64Array(pages);
  let acc = 0;
  for (let k = 0; k < pages; k++) {
    acc += 1 / (k + 1);
    prefix[k] = acc;
  }
  let state = 2n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    state = (state + 0x9e3779b97f4a7c15n) & M64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    z ^= z >> 31n;
    const x = Number(z >> 11n) * 2 ** -53 * acc;
    let lo = 0;
    let hi = pages - 1;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (prefix[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

describe("the Zipf benchmark trace, first 200,000 requests", () => {
  const keys = zipfWindow(200_000);
  it("matches gen_traces.c's first pages", () => {
    expect(Array.from(keys.subarray(0, 8))).toEqual([2783, 27039, 2967, 34174, 49, 81, 19476, 23394]);
  });
  it("LRU with 7,630 frames: the engine, the stack-distance curve and a plain LRU agree", () => {
    const sim = new ReplacementSim(createPolicy("lru", { capacity: 7630 }));
    sim.run({ keys, count: keys.length });
    const sd = new LruStackDistance();
    sd.push(keys, keys.length);
    // Plain LRU: a Map keeps insertion order; re-inserting moves a key to the end.
    const lru = new Map<number, true>();
    let misses = 0;
    for (const k of keys) {
      if (lru.has(k)) lru.delete(k);
      else {
        misses++;
        if (lru.size === 7630) lru.delete(lru.keys().next().value!);
      }
      lru.set(k, true);
    }
    expect(sim.misses).toBe(misses);
    expect(sd.misses(7630)).toBe(misses);
    expect(misses / keys.length).toBeGreaterThan(0.3);
  });
});
