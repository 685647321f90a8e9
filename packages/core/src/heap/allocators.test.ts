import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocatorContract } from "./allocator.contract.js";
import { ArenaBacking } from "./backing.js";
import { createAllocator, HEAP_POLICIES } from "./registry.js";
import { segregatedClass, segregatedClassFloor } from "./segregated.js";
import { tlsfIndex, tlsfListFloor } from "./tlsf.js";

const VARIANTS = [...HEAP_POLICIES, "first-fit-lifo", "best-fit-lifo", "next-fit-lifo", "worst-fit-lifo"];

for (const name of VARIANTS) {
  describe(`allocator ${name}`, () => {
    allocatorContract((m, o) => createAllocator(name, m, o)!);
  });
}

describe("allocators without coalescing", () => {
  for (const name of ["first-fit", "best-fit", "segregated", "tlsf"]) {
    describe(name, () =>
      allocatorContract((m, o) => createAllocator(name, m, { ...o, coalesce: false })!, false),
    );
  }
});

describe("registry", () => {
  it("refuses unknown names and -lifo on policies without a single list", () => {
    expect(createAllocator("quick-fit", new ArenaBacking())).toBeUndefined();
    expect(createAllocator("tlsf-lifo", new ArenaBacking())).toBeUndefined();
    expect(createAllocator("first-fit-lifo", new ArenaBacking())?.name).toBe("first-fit");
  });
});

describe("heap events", () => {
  it("an attached sink sees sbrk, split, coalesce, mmap and munmap as the allocator decides them", () => {
    const a = createAllocator("first-fit", new ArenaBacking())!;
    const events: string[] = [];
    a.sink = { emit: (e) => events.push(e.kind) };
    const p = a.malloc(100);
    const q = a.malloc(100);
    a.malloc(100);
    a.free(p);
    a.free(q);
    a.free(a.malloc(200 * 1024));
    expect(events).toEqual([
      "heap-sbrk",
      "heap-sbrk",
      "heap-split",
      "heap-split",
      "heap-split",
      "heap-coalesce",
      "heap-mmap",
      "heap-munmap",
    ]);
  });
});

describe("size classes and their floors", () => {
  it("every block size lies at or above its class's floor, and each floor maps to its own class", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2 ** 27 - 1 }), (k) => {
        const size = k * 16;
        const c = segregatedClass(size);
        expect(segregatedClassFloor(c)).toBeLessThanOrEqual(size);
        expect(segregatedClass(segregatedClassFloor(c))).toBe(c);
        expect(segregatedClassFloor(c + 1)).toBeGreaterThan(size);
        const t = tlsfIndex(size);
        expect(tlsfListFloor(t)).toBeLessThanOrEqual(size);
        expect(tlsfIndex(tlsfListFloor(t))).toBe(t);
        expect(tlsfListFloor(t + 1)).toBeGreaterThan(size);
      }),
    );
  });

  it("keeps the free top block off the lists and carves it only when no listed block fits", () => {
    for (const name of ["segregated", "tlsf"]) {
      const a = createAllocator(name, new ArenaBacking({ pageSize: 4096 }))!;
      const p = a.malloc(3000);
      a.malloc(24);
      a.free(p);
      expect(a.walk().problems).toEqual([]);
      // The free top (about 1 KiB) would fit 500 bytes more tightly; the hole serves them.
      expect(a.malloc(500)).toBe(p);
      expect(a.malloc(2400)).toBe(p + 512);
      expect(a.walk().problems).toEqual([]);
      // Nothing listed fits 500 bytes now: the top serves them without growing the heap.
      const end = a.heapEnd();
      expect(a.malloc(500)).toBeGreaterThan(p + 3000);
      expect(a.heapEnd()).toBe(end);
      expect(a.walk().problems).toEqual([]);
    }
  });
});
