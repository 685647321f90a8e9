import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LirsPolicy } from "./lirs.js";
import { simulate } from "./policy.contract.js";
import { referencePolicy } from "./reference.contract.js";
import { ReplacementSim } from "./sim.js";

/**
 * Long traces over a key space a few times the cache: non-resident entries are created,
 * referenced again and pruned by the thousand, so the ring of entries wraps many times
 * and is compacted (cells freed early pile up between its oldest and newest entries).
 */
/** Uniform numbers in [0, 1) from a seeded linear congruential generator. */
function uniformFrom(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

/** Requires LIRS with `capacity` frames to hit and miss on `keys` as the plain reference does. */
function expectReferenceOutcomes(capacity: number, keys: number[]): void {
  const fast = simulate("lirs", capacity, keys).outcomes;
  const ref = referencePolicy("lirs", capacity, { seed: 7, window: 8 });
  expect(fast).toEqual(keys.map((k) => ref.access(k, false, Number.POSITIVE_INFINITY)));
}

/** Checks `check(capacity, seed)` for `numRuns` capacities in [min, max] and seeds. */
function forCapacities(
  min: number,
  max: number,
  numRuns: number,
  check: (capacity: number, seed: number) => void,
): void {
  fc.assert(fc.property(fc.integer({ min, max }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), check), {
    numRuns,
  });
}

/** A skewed stream: a hot set of `capacity` keys inside one `spread` times larger. */
function skewed(capacity: number, spread: number, seed: number, length: number): number[] {
  const next = uniformFrom(seed);
  const keys: number[] = [];
  for (let i = 0; i < length; i++)
    keys.push(next() < 0.6 ? Math.floor(next() * capacity) : Math.floor(next() * capacity * spread * 4));
  return keys;
}

describe("LIRS over long traces", () => {
  it("matches the plain reference as its ring of non-resident entries wraps and compacts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (capacity, spread, seed) => expectReferenceOutcomes(capacity, skewed(capacity, spread, seed, 3000)),
      ),
      { numRuns: 60 },
    );
  });

  it("matches the reference when the creation numbers in codes wrap many times", () => {
    forCapacities(1, 8, 60, (capacity, seed) => {
      const keys = skewed(capacity, 4, seed, 4000);
      // The fewest bits allowed (one ring size): old codes wrap back into the window often.
      let ring = 4;
      while (ring < 3 * capacity) ring *= 2;
      const sim = new ReplacementSim(new LirsPolicy(capacity, Math.log2(ring)));
      const ref = referencePolicy("lirs", capacity, { seed: 7, window: 8 });
      expect(keys.map((k) => sim.access(k, false))).toEqual(
        keys.map((k) => ref.access(k, false, Number.POSITIVE_INFINITY)),
      );
    });
  });

  it("matches the reference when Q holds several pages, re-queued and promoted out of order", () => {
    // From 200 frames on, Q holds more than one resident HIR page, so the order of Q
    // matters; a hot set a little larger than the cache makes resident HIR pages
    // that have left S get referenced again (re-queued) and ones still in S promoted.
    forCapacities(200, 700, 12, (capacity, seed) =>
      expectReferenceOutcomes(capacity, skewed(Math.round(capacity * 1.3), 2, seed, 20_000)),
    );
  });

  it("matches the reference when runs of hits on queued pages churn Q between misses", () => {
    // Each hit on a resident HIR page re-queues it or promotes it (demoting an LIR page
    // into Q); with Q holding several pages (200 frames and more) and runs of hundreds of
    // such hits between misses, the order of Q is churned far more than on a plain trace.
    // The trace picks most keys from the reference's own Q to get there.
    forCapacities(200, 420, 10, (capacity, seed) => {
      const next = uniformFrom(seed);
      const sim = new ReplacementSim(new LirsPolicy(capacity));
      const ref = referencePolicy("lirs", capacity, { seed: 7, window: 8 });
      const queued = (ref as unknown as { q: number[] }).q;
      for (let i = 0; i < 8000; i++) {
        const r = next();
        const key =
          r < 0.998 && queued.length > 0
            ? queued[Math.floor(next() * queued.length)]!
            : Math.floor(next() * 3 * capacity);
        expect(sim.access(key, false)).toBe(ref.access(key, false, Number.POSITIVE_INFINITY));
      }
    });
  });
});
