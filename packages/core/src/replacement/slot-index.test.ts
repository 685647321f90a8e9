import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextUses, simulate } from "./policy.contract.js";
import { isFutureAware } from "./policy.js";
import { createPolicy, POLICY_NAMES } from "./registry.js";
import { narrowIndexFits } from "./sim.js";
import { SlotIndex } from "./slot-index.js";

// Small page numbers use the flat table, others the hash map: both, and the boundary.
const spread = (k: number) => (k % 3 === 0 ? k : k % 3 === 1 ? 2 ** 22 - 2 + k : 2 ** 40 + 4097 * k);

describe("SlotIndex", () => {
  // Own (no policy's codes): 16-bit entries below 2^15 slots.
  for (const own of [false, true])
    it(`maps keys to slots like a Map, over small, boundary and large keys${own ? " (own index)" : ""}`, () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 300 }), (small) => {
          const cap = 8;
          const index = new SlotIndex(cap, own);
          const model = new Map<number, number>();
          const free = [7, 6, 5, 4, 3, 2, 1, 0];
          for (const s of small) {
            const key = spread(s);
            const slot = index.find(key);
            expect(slot).toBe(model.get(key) ?? -1);
            if (slot >= 0) {
              // Both ways of unindexing (a check-then-delete, and a blind store).
              if (slot % 2 === 0) index.remove(slot);
              else index.removeOwn(slot);
              model.delete(key);
              free.push(slot);
            } else if (free.length > 0) {
              const f = free.pop()!;
              index.insert(f, key);
              model.set(key, f);
            }
            for (const [k, v] of model) expect(index.find(k)).toBe(v);
          }
        }),
        { numRuns: 200 },
      );
    });
});

describe("16-bit index entries", () => {
  it("are refused beyond 2^15 slots, and taken only by an engine whose policy keeps no codes", () => {
    expect(() => new SlotIndex(2 ** 15 + 1, true)).toThrow(/2\^15 slots/);
    expect(narrowIndexFits(createPolicy("lru", { capacity: 2 ** 15 - 1 }))).toBe(true);
    expect(narrowIndexFits(createPolicy("lru", { capacity: 2 ** 15 }))).toBe(false);
    expect(narrowIndexFits(createPolicy("arc", { capacity: 100 }))).toBe(false);
  });
});

describe("the engine over large page numbers", () => {
  for (const name of POLICY_NAMES) {
    it(`${name} counts the same misses whatever the page numbers`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 300 }),
          fc.integer({ min: 1, max: 12 }),
          (small, frames) => {
            // An injective renaming of the pages must not change any count.
            const a = simulate(name, frames, small).sim.stats();
            const b = simulate(name, frames, small.map(spread)).sim.stats();
            expect(b).toEqual(a);
          },
        ),
        { numRuns: 40 },
      );
    });
  }
});

/**
 * A policy driven by a plain loop over a `Map`, as the kernel drives one: it is never
 * offered the engine's index, so policies that keep ghosts use their own maps.
 */
function alone(name: string, frames: number, keys: readonly number[]): boolean[] {
  const policy = createPolicy(name, { capacity: frames, seed: 7, window: 8 });
  const where = new Map<number, number>();
  const keyOf = new Map<number, number>();
  const next = nextUses(keys);
  const future = isFutureAware(policy) ? policy : undefined;
  const out: boolean[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    future?.setNextUse(next[i]!);
    const slot = where.get(key);
    if (slot !== undefined) {
      policy.onHit(slot, false);
      out.push(true);
      continue;
    }
    let free = where.size < frames ? where.size : -1;
    if (free < 0) {
      free = policy.evict(key);
      where.delete(keyOf.get(free)!);
    }
    policy.onInsert(free, key, false);
    where.set(key, free);
    keyOf.set(free, key);
    out.push(false);
  }
  return out;
}

describe("policies that keep ghosts, with and without the engine's index", () => {
  for (const name of ["arc", "2q", "s3-fifo", "lirs"]) {
    it(`${name} makes the same choices alone as in the engine`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 400 }),
          fc.integer({ min: 1, max: 12 }),
          fc.boolean(),
          (small, frames, large) => {
            const keys = large ? small.map(spread) : small;
            expect(alone(name, frames, keys)).toEqual(simulate(name, frames, keys).outcomes);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
