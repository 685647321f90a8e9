import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextUses, simulate } from "./policy.contract.js";
import { referencePolicy } from "./reference.contract.js";
import { createPolicy, POLICY_NAMES } from "./registry.js";
import { ReplacementSim } from "./sim.js";

describe("every fast policy agrees with its plain reference implementation", () => {
  for (const name of POLICY_NAMES) {
    it(`${name}: same hit/miss sequence on random traces`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.boolean()), { minLength: 1, maxLength: 400 }),
          fc.integer({ min: 1, max: 12 }),
          (refs, capacity) => {
            const keys = refs.map((r) => r[0]);
            const writes = refs.map((r) => r[1]);
            const fast = simulate(name, capacity, keys, writes).outcomes;
            const ref = referencePolicy(name, capacity, { seed: 7, window: 8 });
            const next = nextUses(keys);
            const slow = keys.map((k, i) => ref.access(k, writes[i]!, next[i]!));
            expect(fast).toEqual(slow);
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});

describe("policies whose reference models munmap agree with it when pages are unmapped", () => {
  const withUnmap = POLICY_NAMES.filter(
    (name) => referencePolicy(name, 1, { seed: 7, window: 8 }).unmap !== undefined,
  );
  it("covers the queue policies", () => {
    expect(withUnmap).toEqual(expect.arrayContaining(["fifo", "lru", "sieve"]));
  });
  for (const name of withUnmap) {
    it(`${name}: same hit/miss sequence with pages unmapped between references`, () => {
      fc.assert(
        fc.property(
          // A negative entry unmaps the page -k - 1.
          fc.array(fc.integer({ min: -31, max: 30 }), { minLength: 1, maxLength: 600 }),
          fc.integer({ min: 1, max: 12 }),
          (ops, capacity) => {
            const sim = new ReplacementSim(createPolicy(name, { capacity, seed: 7 }));
            const ref = referencePolicy(name, capacity, { seed: 7, window: 8 });
            for (const op of ops) {
              if (op < 0) {
                sim.invalidate(-op - 1);
                ref.unmap!(-op - 1);
              } else expect(sim.access(op, false)).toBe(ref.access(op, false, Number.POSITIVE_INFINITY));
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});

describe("warming the index ahead and its 16-bit entries are for speed only", () => {
  for (const name of POLICY_NAMES.filter((n) => n !== "opt")) {
    it(`${name}: the same counts with and without warming, with wide and narrow entries`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 700 }),
          fc.integer({ min: 1, max: 40 }),
          (keys, capacity) => {
            const batch = { keys: Float64Array.from(keys), count: keys.length };
            const runs = [
              { warmIndex: true, narrowIndex: true },
              { warmIndex: false, narrowIndex: true },
              { warmIndex: true, narrowIndex: false },
              { warmIndex: false, narrowIndex: false },
            ];
            const stats = runs.map((options) => {
              const sim = new ReplacementSim(createPolicy(name, { capacity, seed: 7, window: 8 }), options);
              sim.run(batch);
              return sim.stats();
            });
            for (const st of stats) expect(st).toEqual(stats[0]);
          },
        ),
        { numRuns: 40 },
      );
    });
  }
});
