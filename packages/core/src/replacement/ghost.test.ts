import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GhostList, GhostSet } from "./ghost.js";

describe("GhostList", () => {
  it("behaves like a bounded FIFO of distinct keys with removal", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.tuple(fc.constantFrom("push", "delete", "pop"), fc.integer({ min: 0, max: 12 })), {
          maxLength: 300,
        }),
        (limit, ops) => {
          const g = new GhostList(limit);
          let model: number[] = [];
          for (const [op, key] of ops) {
            if (op === "push") {
              if (model.includes(key)) continue; // precondition: absent
              g.push(key);
              if (limit > 0) {
                if (model.length >= limit) model.shift();
                model.push(key);
              }
            } else if (op === "delete") {
              expect(g.delete(key)).toBe(model.includes(key));
              model = model.filter((k) => k !== key);
            } else {
              expect(g.popOldest()).toBe(model.length > 0);
              model.shift();
            }
            expect(g.size).toBe(model.length);
            for (let k = 0; k <= 12; k++) expect(g.has(k)).toBe(model.includes(k));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("GhostSet", () => {
  it("behaves like bounded FIFOs of distinct keys sharing one key space", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })),
        fc.array(
          fc.tuple(
            fc.constantFrom("push", "delete", "pop"),
            fc.integer({ min: 0, max: 1 }),
            fc.integer({ min: 0, max: 12 }),
          ),
          { maxLength: 300 },
        ),
        ([l0, l1], ops) => {
          const limits = [l0, l1];
          const g = new GhostSet(limits, 3);
          const model: number[][] = [[], []];
          const where = (k: number) => (model[0]!.includes(k) ? 0 : model[1]!.includes(k) ? 1 : -1);
          for (const [op, list, key] of ops) {
            const m = model[list]!;
            if (op === "push") {
              if (where(key) >= 0) continue; // precondition: absent from every list
              g.push(list, key);
              if (limits[list]! > 0) {
                if (m.length >= limits[list]!) m.shift();
                m.push(key);
              }
            } else if (op === "delete") {
              const w = where(key);
              expect(g.delete(key)).toBe(w);
              if (w >= 0) model[w] = model[w]!.filter((k) => k !== key);
            } else {
              expect(g.popOldest(list)).toBe(m.length > 0);
              m.shift();
            }
            expect(g.size(0)).toBe(model[0]!.length);
            expect(g.size(1)).toBe(model[1]!.length);
            for (let k = 0; k <= 12; k++) expect(g.find(k)).toBe(where(k));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
