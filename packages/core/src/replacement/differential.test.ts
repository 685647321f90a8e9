import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextUses, simulate } from "./policy.contract.js";
import { referencePolicy } from "./reference.contract.js";
import { POLICY_NAMES } from "./registry.js";

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
