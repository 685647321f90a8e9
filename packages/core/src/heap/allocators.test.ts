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
