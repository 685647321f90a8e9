import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PageMap } from "./page-map.js";

describe("PageMap", () => {
  for (const narrow of [false, true])
    it(`behaves like a Map over small, boundary, large and fractional keys${narrow ? " (16-bit entries)" : ""}`, () => {
      const key = fc.oneof(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 2 ** 22 - 3, max: 2 ** 22 + 3 }),
        fc.integer({ min: 8000, max: 9000 }),
        fc.constantFrom(2 ** 40, 2 ** 52 + 1, 0.5, -1),
      );
      fc.assert(
        fc.property(
          fc.array(
            fc.tuple(
              fc.constantFrom("set", "delete", "forget", "get"),
              key,
              fc.integer({ min: 0, max: 2 ** 15 - 1 }),
            ),
            {
              maxLength: 200,
            },
          ),
          (ops) => {
            const m = new PageMap(4, narrow);
            const model = new Map<number, number>();
            for (const [op, k, v] of ops) {
              if (op === "set") {
                m.set(k, v);
                model.set(k, v);
              } else if (op === "delete") {
                expect(m.delete(k)).toBe(model.get(k) ?? -1);
                model.delete(k);
              } else if (op === "forget") {
                m.forget(k);
                model.delete(k);
              } else expect(m.get(k)).toBe(model.get(k) ?? -1);
            }
            // Once per run: `size` scans the flat array, which may cover 2^22 keys.
            expect(m.size).toBe(model.size);
            for (const [k, v] of model) expect(m.get(k)).toBe(v);
          },
        ),
        { numRuns: 300 },
      );
    });
});
