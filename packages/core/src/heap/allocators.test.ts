import { describe, expect, it } from "vitest";
import { allocatorContract } from "./allocator.contract.js";
import { ArenaBacking } from "./backing.js";
import { createAllocator, HEAP_POLICIES } from "./registry.js";

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
