import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GhostList } from "./ghost.js";

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
