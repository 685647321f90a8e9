import { describe, expect, it } from "vitest";
import { ArenaBacking } from "./backing.js";
import { EINVAL, ENOMEM, Libc } from "./libc.js";
import { createAllocator, HEAP_POLICIES } from "./registry.js";

const libc = (policy = "first-fit", memcheck = false) => {
  const m = new ArenaBacking({ maxHeap: 1 << 24, maxMapped: 1 << 24 });
  return { m, c: new Libc(createAllocator(policy, m)!, { memcheck }) };
};

describe("libc front, glibc semantics", () => {
  for (const policy of HEAP_POLICIES) {
    it(`${policy}: calloc zeroes reused memory and refuses an overflowing n*size`, () => {
      const { m, c } = libc(policy);
      const p = c.malloc(64);
      m.fill(p, 64, 0xee);
      c.free(p);
      const q = c.calloc(8, 8);
      for (let i = 0; i < 64; i++) expect(m.read8(q + i)).toBe(0);
      expect(c.calloc(2 ** 33, 2 ** 33)).toBe(0);
      expect(c.calloc(2 ** 62, 4)).toBe(0);
    });

    it(`${policy}: realloc(NULL, n) mallocs, realloc(p, 0) frees, contents survive a move`, () => {
      const { m, c } = libc(policy);
      const p = c.realloc(0, 24);
      expect(p).not.toBe(0);
      for (let i = 0; i < 24; i++) m.write8(p + i, i + 1);
      const blocker = c.malloc(24);
      const q = c.realloc(p, 5000);
      for (let i = 0; i < 24; i++) expect(m.read8(q + i)).toBe(i + 1);
      expect(c.mallocUsableSize(q)).toBeGreaterThanOrEqual(5000);
      expect(c.realloc(q, 0)).toBe(0);
      expect(c.block(q)).toBeUndefined();
      expect(c.free(0)).toBeNull();
      c.free(blocker);
      expect(c.usage()).toMatchObject({ inUseBlocks: 0 });
      expect(c.allocator.walk().problems).toEqual([]);
    });

    it(`${policy}: aligned_alloc and posix_memalign honour the alignment`, () => {
      const { c } = libc(policy);
      for (const al of [16, 32, 64, 256, 4096]) {
        const p = c.alignedAlloc(al, 100);
        expect(p % al).toBe(0);
        expect(c.mallocUsableSize(p)).toBeGreaterThanOrEqual(100);
        const r = c.posixMemalign(al, 10);
        expect(r.err).toBe(0);
        expect(r.ptr % al).toBe(0);
        c.free(p);
        c.free(r.ptr);
      }
      expect(c.alignedAlloc(24, 10)).toBe(0);
      expect(c.posixMemalign(4, 10)).toEqual({ err: EINVAL, ptr: 0 });
      expect(c.allocator.walk().problems).toEqual([]);
    });
  }

  it("realloc grows in place into a free neighbour (no move without memcheck)", () => {
    const { c } = libc("first-fit");
    const p = c.malloc(32);
    const q = c.malloc(200);
    c.malloc(16);
    c.free(q);
    expect(c.realloc(p, 180)).toBe(p);
  });

  it("out of memory: malloc returns 0 and posix_memalign ENOMEM", () => {
    const m = new ArenaBacking({ maxHeap: 1 << 16, maxMapped: 0 });
    const c = new Libc(createAllocator("tlsf", m)!);
    expect(c.malloc(1 << 20)).toBe(0);
    expect(c.posixMemalign(64, 1 << 20)).toEqual({ err: ENOMEM, ptr: 0 });
  });

  it("a bad free without memcheck is glibc's abort message", () => {
    const { c } = libc();
    const p = c.malloc(10);
    expect(c.free(p)).toBeNull();
    expect(c.free(p)).toEqual({ kind: "glibc-abort", addr: p, message: "free(): invalid pointer" });
  });
});
