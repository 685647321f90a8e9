import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asPfn, type Pfn } from "../base/index.js";
import {
  BuddyAllocator,
  createFrameAllocator,
  type FrameAllocatorKind,
  FreeListAllocator,
} from "./frame-allocator.js";

describe("BuddyAllocator", () => {
  it("splits the smallest block that fits and merges buddies back", () => {
    const b = new BuddyAllocator(16);
    expect(b.freeBlocksByOrder()).toEqual([0, 0, 0, 0, 1]);
    const a = b.alloc();
    expect(a).toBe(0);
    // 16 = 1 (taken) + 1 + 2 + 4 + 8 free
    expect(b.freeBlocksByOrder()).toEqual([1, 1, 1, 1, 0]);
    const blk = b.allocBlock(2);
    expect(blk).toBe(4);
    b.free(a as Pfn);
    b.freeBlock(blk as Pfn, 2);
    expect(b.freeBlocksByOrder()).toEqual([0, 0, 0, 0, 1]);
    expect(b.freeCount()).toBe(16);
  });

  it("handles frame counts that are not powers of two", () => {
    const b = new BuddyAllocator(13);
    expect(b.freeCount()).toBe(13);
    const got = new Set<number>();
    for (let i = 0; i < 13; i++) got.add(b.alloc() as number);
    expect(got.size).toBe(13);
    expect(b.alloc()).toBeNull();
  });

  it("refuses a double free", () => {
    const b = new BuddyAllocator(8);
    const p = b.alloc() as Pfn;
    b.free(p);
    expect(() => b.free(p)).toThrow(/freed twice/);
  });

  it("returns null for a block larger than any free block", () => {
    const b = new BuddyAllocator(8);
    b.alloc();
    expect(b.allocBlock(3)).toBeNull();
    expect(b.allocBlock(2)).toBe(4);
  });
});

describe.each<FrameAllocatorKind>(["buddy", "freelist"])("%s allocator (contract)", (kind) => {
  it("never hands out a frame twice and counts free frames exactly (random ops)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 300 }),
        (n, ops) => {
          const a = createFrameAllocator(kind, n);
          const held: number[] = [];
          for (const op of ops) {
            if (op < 60) {
              const p = a.alloc();
              if (p === null) expect(held.length).toBe(n);
              else {
                expect(held.includes(p)).toBe(false);
                expect(p).toBeGreaterThanOrEqual(0);
                expect(p).toBeLessThan(n);
                held.push(p);
              }
            } else if (held.length > 0) {
              const i = op % held.length;
              const [p] = held.splice(i, 1);
              a.free(asPfn(p as number));
            }
            expect(a.freeCount()).toBe(n - held.length);
            for (const p of held) expect(a.isFree(asPfn(p))).toBe(false);
          }
          for (const p of held) a.free(asPfn(p));
          expect(a.freeCount()).toBe(n);
        },
      ),
    );
  });

  it("snapshot and restore give back the same future", () => {
    const a = createFrameAllocator(kind, 32);
    for (let i = 0; i < 5; i++) a.alloc();
    a.free(asPfn(2));
    const s = a.snapshot();
    const first = [a.alloc(), a.alloc(), a.alloc()];
    a.restore(s);
    expect([a.alloc(), a.alloc(), a.alloc()]).toEqual(first);
  });
});

describe("FreeListAllocator", () => {
  it("is LIFO: the frame freed last is handed out first", () => {
    const f = new FreeListAllocator(4);
    const a = f.alloc() as Pfn;
    const b = f.alloc() as Pfn;
    f.free(a);
    f.free(b);
    expect(f.alloc()).toBe(b);
    expect(f.allocBlock(1)).toBeNull();
  });
});
