import { createPolicy, POLICY_NAMES, simulateSizes } from "@memsim/core";
import { describe, expect, it } from "vitest";
import { type PolicyFactory, recordGrid } from "./replacement-grid.js";

const make: PolicyFactory = (name, capacity) => createPolicy(name, { capacity });
const BELADY = Float64Array.from([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]);

describe("policy grids", () => {
  it("records FIFO on Belady's string: 9 faults with 3 frames, 10 with 4", () => {
    const three = recordGrid("fifo", make, BELADY, 3);
    const four = recordGrid("fifo", make, BELADY, 4);
    expect(three.misses).toBe(9);
    expect(four.misses).toBe(10);
    expect(Array.from(three.hit)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1]);
    // step 3 (page 4) evicts page 1, the oldest, from slot 0
    expect(three.victim[3]).toBe(0);
    expect(three.evicted[3]).toBe(1);
    expect(Array.from(three.slots.subarray(3 * 3, 4 * 3))).toEqual([4, 2, 3]);
    expect(Array.from(three.slots.subarray(0, 3))).toEqual([1, -1, -1]);
  });

  it("every resident page is one referenced so far, and a hit changes no slot", () => {
    expect(POLICY_NAMES.length).toBeGreaterThanOrEqual(4);
    for (const policy of POLICY_NAMES) {
      const refs = Float64Array.from({ length: 200 }, (_, i) => (i * 7919) % 13);
      const grid = recordGrid(policy, make, refs, 4);
      for (let t = 1; t < refs.length; t++) {
        const row = Array.from(grid.slots.subarray(t * 4, t * 4 + 4));
        expect(row).toContain(refs[t]);
        if (grid.hit[t]) expect(row).toEqual(Array.from(grid.slots.subarray((t - 1) * 4, t * 4)));
      }
      expect(grid.misses).toBe(simulateSizes(policy, [4], refs, refs.length).points[0]!.misses);
      expect(grid.misses).toBe(refs.length - grid.hit.reduce((a, b) => a + b, 0));
    }
  });
});
