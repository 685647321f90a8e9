import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimError } from "../base/errors.js";
import { FastRng } from "../base/rng.js";
import { nextUseTimes, OptPolicy } from "./opt.js";
import { nextUses } from "./policy.contract.js";
import type { FutureAware, ReplacementPolicy } from "./policy.js";
import { ReplacementSim } from "./sim.js";

describe("nextUseTimes", () => {
  const keyDomains = {
    "small integers (flat table)": fc.integer({ min: 0, max: 40 }),
    "large integers (hash map)": fc.oneof(
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom(2 ** 31, 2 ** 40 + 7, 2 ** 52 + 1, 5_000_000),
    ),
  };
  for (const [label, key] of Object.entries(keyDomains)) {
    it(`equals a plain forward scan, ${label}`, () => {
      fc.assert(
        fc.property(fc.array(key, { maxLength: 200 }), (keys) => {
          const got = nextUseTimes(Float64Array.from(keys), keys.length);
          expect(Array.from(got)).toEqual(nextUses(keys));
        }),
        { numRuns: 200 },
      );
    });
  }
  it("reads only the first `count` keys", () => {
    const got = nextUseTimes(Float64Array.from([1, 2, 1, 2, 1]), 3);
    expect(Array.from(got)).toEqual([2, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });
});

/** Wraps an OptPolicy and checks each victim against a plain model of the next uses. */
class FurthestChecked implements ReplacementPolicy, FutureAware {
  readonly name = "opt";
  readonly capacity: number;
  readonly inner: OptPolicy;
  /** Slot → recorded next use; undefined while the slot is empty. */
  private readonly model: (number | undefined)[] = [];
  private pending = Number.POSITIVE_INFINITY;
  constructor(capacity: number) {
    this.capacity = capacity;
    this.inner = new OptPolicy(capacity);
  }
  setNextUse(nextUse: number): void {
    this.pending = nextUse;
    this.inner.setNextUse(nextUse);
  }
  onHit(slot: number, write: boolean): void {
    this.model[slot] = this.pending;
    this.inner.onHit(slot, write);
  }
  onInsert(slot: number, key: number, write: boolean): void {
    this.model[slot] = this.pending;
    this.inner.onInsert(slot, key, write);
  }
  evict(): number {
    const victim = this.inner.evict();
    const furthest = Math.max(...this.model.filter((t) => t !== undefined));
    expect(this.model[victim]).toBe(furthest);
    this.model[victim] = undefined;
    return victim;
  }
  remove(slot: number): void {
    this.model[slot] = undefined;
    this.inner.remove(slot);
  }
}

/** Plain OPT: resident keys with their next uses in a Map, the victim found by a scan. */
function plainOptMisses(capacity: number, keys: readonly number[], unmaps: readonly boolean[]): number {
  const next = nextUses(keys);
  const resident = new Map<number, number>();
  let misses = 0;
  keys.forEach((key, i) => {
    if (unmaps[i]) resident.delete(key + 1);
    if (!resident.has(key)) {
      misses++;
      if (resident.size === capacity) {
        let victim = -1;
        let furthest = -1;
        for (const [k, t] of resident)
          if (t > furthest) {
            furthest = t;
            victim = k;
          }
        resident.delete(victim);
      }
    }
    resident.set(key, next[i]!);
  });
  return misses;
}

describe("OptPolicy", () => {
  it("evicts a page with the furthest recorded next use, for any next uses, hits and unmaps", () => {
    const nextUse = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(Number.POSITIVE_INFINITY));
    const ref = fc.tuple(fc.integer({ min: 0, max: 12 }), nextUse, fc.integer({ min: 0, max: 9 }));
    fc.assert(
      fc.property(
        fc.array(ref, { minLength: 200, maxLength: 1500, size: "max" }),
        fc.integer({ min: 1, max: 8 }),
        (refs, capacity) => {
          const sim = new ReplacementSim(new FurthestChecked(capacity));
          for (const [key, next, unmap] of refs) {
            if (unmap === 0) sim.invalidate(key + 1);
            sim.access(key, false, next);
          }
          expect(sim.resident).toBeLessThanOrEqual(capacity);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("misses as often as a plain OPT on long traces with many hits and unmaps", () => {
    const ref = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 14 }));
    fc.assert(
      fc.property(
        fc.array(ref, { minLength: 300, maxLength: 3000, size: "max" }),
        fc.integer({ min: 1, max: 10 }),
        (refs, capacity) => {
          const keys = refs.map((r) => r[0]);
          const unmaps = refs.map((r) => r[1] === 0);
          const next = nextUses(keys);
          const sim = new ReplacementSim(new OptPolicy(capacity));
          keys.forEach((key, i) => {
            if (unmaps[i]) sim.invalidate(key + 1);
            sim.access(key, false, next[i]);
          });
          expect(sim.misses).toBe(plainOptMisses(capacity, keys, unmaps));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("runs a batch with next uses from nextUseTimes like one access at a time", () => {
    const rng = new FastRng(17);
    const keys = Float64Array.from({ length: 20_000 }, () => rng.below(300));
    const next = nextUseTimes(keys, keys.length);
    const batch = new ReplacementSim(new OptPolicy(40));
    batch.runWithFuture({ keys, count: keys.length }, next);
    const plain = plainOptMisses(40, Array.from(keys), []);
    expect(batch.misses).toBe(plain);
  });

  it("still evicts the furthest page after one page got the same next use many times", () => {
    // Each such hit leaves a second live pair for one slot; rebuilds must drop the copies.
    const sim = new ReplacementSim(new FurthestChecked(2));
    sim.access(1, false, 100);
    for (let i = 0; i < 40; i++) expect(sim.access(1, false, 100)).toBe(true);
    expect(sim.access(2, false, 50)).toBe(false);
    expect(sim.access(3, false, 10)).toBe(false); // evicts page 1 (100)
    expect(sim.access(4, false, 5)).toBe(false); // evicts page 2 (50), not page 3 (10)
    expect(sim.peek(2)).toBe(-1);
    expect(sim.peek(3)).toBeGreaterThanOrEqual(0);
  });

  it("rejects next uses that are not integer times below 2^31", () => {
    const opt = new OptPolicy(4);
    for (const bad of [1.5, -1, 2 ** 31, Number.NaN]) expect(() => opt.setNextUse(bad)).toThrow(SimError);
    expect(() => opt.setNextUse(2 ** 31 - 1)).not.toThrow();
  });
});
