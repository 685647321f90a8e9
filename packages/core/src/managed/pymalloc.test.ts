import { describe, expect, it } from "vitest";
import { FlatObjectMemory } from "./memory.js";
import { ARENA_SIZE, classBlockSize, POOL_OVERHEAD, POOL_SIZE, Pymalloc, sizeClassOf } from "./pymalloc.js";
import { PyRuntime } from "./runtime.js";

describe("pymalloc (3.11, 64-bit: 1 MiB arenas, 16 KiB pools, 16-byte classes)", () => {
  it("size classes round up to 16 bytes, up to 512", () => {
    expect([1, 16, 17, 32, 33, 512].map(sizeClassOf)).toEqual([0, 0, 1, 1, 2, 31]);
    expect(classBlockSize(31)).toBe(512);
  });

  it("blocks of one class are carved from one pool after its 48-byte header, then reused LIFO", () => {
    const p = new Pymalloc(new FlatObjectMemory());
    const a = p.malloc(56)!;
    const b = p.malloc(64)!;
    expect(a % POOL_SIZE).toBe(POOL_OVERHEAD);
    expect(b - a).toBe(64);
    const c = p.malloc(16)!;
    expect(c - (c % POOL_SIZE)).not.toBe(a - (a % POOL_SIZE));
    p.free(a);
    expect(p.malloc(60)).toBe(a);
    expect(p.blockSize(b)).toBe(64);
  });

  it("an unaligned arena holds 63 pools; a fully free arena is unmapped", () => {
    const mem = new FlatObjectMemory();
    const p = new Pymalloc(mem);
    const perPool = Math.floor((POOL_SIZE - POOL_OVERHEAD) / 512);
    const blocks: number[] = [];
    for (let i = 0; i < 63 * perPool; i++) blocks.push(p.malloc(512)!);
    expect(p.stats().arenasCurrent).toBe(1);
    blocks.push(p.malloc(512)!);
    expect(p.stats().arenasCurrent).toBe(2);
    expect(mem.residentBytes()).toBe(2 * ARENA_SIZE);
    for (const b of blocks) p.free(b);
    expect(p.stats()).toMatchObject({
      arenasCurrent: 0,
      arenasReclaimed: 2,
      blocksInUse: 0,
      arenasHighwater: 2,
    });
    expect(mem.residentBytes()).toBe(0);
  });

  it("touches each pool header and each block it hands out (for demand paging)", () => {
    const touched: [number, number][] = [];
    const mem = new FlatObjectMemory();
    const p = new Pymalloc(Object.assign(mem, { touch: (a: number, n: number) => touched.push([a, n]) }));
    const a = p.malloc(32)!;
    expect(touched).toEqual([
      [a - POOL_OVERHEAD, POOL_OVERHEAD],
      [a, 16],
    ]);
  });

  it("requests above 512 bytes go to the C heap; exhausted memory returns null", () => {
    const mem = new FlatObjectMemory(ARENA_SIZE + 4096);
    const p = new Pymalloc(mem);
    const big = p.malloc(1000)!;
    expect(p.stats().largeBlocks).toBe(1);
    expect(p.blockSize(big)).toBe(1000);
    p.free(big);
    expect(p.stats().largeBlocks).toBe(0);
    expect(p.malloc(ARENA_SIZE * 2)).toBeNull();
    expect(() => p.free(12345)).toThrow(/was not allocated/);
  });

  it("the runtime's objects live in pymalloc blocks: a list and its item buffer", () => {
    const rt = new PyRuntime();
    const before = rt.pymalloc.stats().bytesInUse;
    const l = rt.newList();
    const one = rt.newInt(1);
    for (let i = 0; i < 5; i++) rt.listAppend(l, one);
    // list object 56 → 64-byte block; 8 slots → 64-byte buffer
    expect(rt.pymalloc.stats().bytesInUse - before).toBe(64 + 64);
    rt.decref(l);
    rt.gc.collect();
    expect(rt.pymalloc.stats().bytesInUse).toBe(before);
  });
});
