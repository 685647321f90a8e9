import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextUseTimes } from "./opt.js";
import { nextUses } from "./policy.contract.js";

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
