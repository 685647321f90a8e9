import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulate } from "./policy.contract.js";
import { POLICY_NAMES } from "./registry.js";
import { SlotIndex } from "./slot-index.js";

// Small page numbers use the flat table, others the hash map: both, and the boundary.
const spread = (k: number) => (k % 3 === 0 ? k : k % 3 === 1 ? 2 ** 22 - 2 + k : 2 ** 40 + 4097 * k);

describe("SlotIndex", () => {
  it("maps keys to slots like a Map, over small, boundary and large keys", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 300 }), (small) => {
        const cap = 8;
        const index = new SlotIndex(cap);
        const model = new Map<number, number>();
        const free = [7, 6, 5, 4, 3, 2, 1, 0];
        for (const s of small) {
          const key = spread(s);
          const slot = index.find(key);
          expect(slot).toBe(model.get(key) ?? -1);
          if (slot >= 0) {
            index.remove(slot);
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
