import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SlotRing } from "./slot-ring.js";

describe("SlotRing", () => {
  it("behaves as a FIFO array with removal from the middle, across wraps and compactions", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        // 0: push a free slot, 1: pop, 2: remove a live slot, 3: clear.
        fc.array(fc.tuple(fc.constantFrom(0, 0, 0, 1, 2, 2, 3), fc.nat()), { maxLength: 500 }),
        (capacity, ops) => {
          const ring = new SlotRing(capacity);
          let model: number[] = [];
          for (const [op, n] of ops) {
            const free = [...Array(capacity).keys()].filter((s) => !model.includes(s));
            if (op === 0 && free.length > 0) {
              const s = free[n % free.length]!;
              ring.push(s);
              model.push(s);
            } else if (op === 1 && model.length > 0) {
              expect(ring.pop()).toBe(model.shift());
            } else if (op === 2 && model.length > 0) {
              const s = model[n % model.length]!;
              ring.remove(s);
              model = model.filter((x) => x !== s);
            } else if (op === 3) {
              ring.clear();
              model = [];
            }
            expect(ring.size).toBe(model.length);
            expect(ring.slots()).toEqual(model);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses more live slots than it was made for", () => {
    const ring = new SlotRing(3);
    for (const s of [0, 1, 2]) ring.push(s);
    expect(() => ring.push(0)).toThrow(/more slots than it holds/);
  });
});
