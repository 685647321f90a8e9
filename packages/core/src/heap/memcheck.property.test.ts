import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArenaBacking } from "./backing.js";
import { Libc } from "./libc.js";
import { createAllocator, HEAP_POLICIES } from "./registry.js";

type Op =
  | { readonly op: "malloc"; readonly size: number }
  | { readonly op: "free"; readonly pick: number }
  | { readonly op: "access"; readonly pick: number; readonly offset: number; readonly len: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("malloc" as const), size: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ op: fc.constant("free" as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant("access" as const),
    pick: fc.nat(),
    offset: fc.integer({ min: -40, max: 340 }),
    len: fc.constantFrom(1, 2, 4, 8),
  }),
);

describe("memcheck addressability against a plain model", () => {
  for (const policy of HEAP_POLICIES) {
    it(`${policy}: an access is an error exactly when one of its heap bytes is in no live block`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
          const m = new ArenaBacking();
          const libc = new Libc(createAllocator(policy, m, { mmapThreshold: 256 })!, { memcheck: true });
          const live: { p: number; size: number }[] = [];
          const everything: number[] = [];
          for (const o of ops) {
            if (o.op === "malloc") {
              const p = libc.malloc(o.size);
              live.push({ p, size: o.size });
              everything.push(p);
            } else if (o.op === "free" && live.length > 0) {
              const [b] = live.splice(o.pick % live.length, 1);
              expect(libc.free(b!.p)).toBeNull();
            } else if (o.op === "access" && everything.length > 0) {
              const a = everything[o.pick % everything.length]! + o.offset;
              const bad = Array.from({ length: o.len }, (_, i) => a + i).some(
                (x) => libc.isHeapAddress(x) && !live.some((b) => x >= b.p && x < b.p + b.size),
              );
              const e = libc.checkAccess(a, o.len, "read");
              expect(e !== null).toBe(bad);
            }
          }
        }),
        { numRuns: 40 },
      );
    });
  }
});
