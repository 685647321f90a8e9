import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimError } from "../base/errors.js";
import { asPfn, asPhysAddr } from "../base/units.js";
import { FRAME_ANON, FRAME_FREE, FRAME_PAGE_TABLE, FrameTable, frameUseName, NO_OWNER } from "./frames.js";
import { Memblock } from "./memblock.js";
import { PhysicalMemory } from "./memory.js";

const pa = asPhysAddr;

describe("PhysicalMemory", () => {
  it("reads and writes little-endian at every width", () => {
    const m = new PhysicalMemory(2, 16);
    m.write32(pa(0), 0x11223344);
    expect([m.read8(pa(0)), m.read8(pa(3)), m.read16(pa(1))]).toEqual([0x44, 0x11, 0x2233]);
    m.write64(pa(8), 0xfedcba9876543210n);
    expect(m.read64(pa(8))).toBe(0xfedcba9876543210n);
    expect(m.read32(pa(12))).toBe(0xfedcba98);
    m.write64(pa(16), -1n);
    expect(m.read64(pa(16))).toBe(0xffffffffffffffffn);
    m.write(pa(24), 8, 2 ** 53 - 1);
    expect(m.read(pa(24), 8)).toBe(2 ** 53 - 1);
    expect(() => m.read(pa(16), 8)).toThrow(SimError);
  });

  it("unaligned accesses work, out-of-range ones throw SimError", () => {
    const m = new PhysicalMemory(2, 16);
    m.write32(pa(27), 0xdeadbeef);
    expect(m.read32(pa(27))).toBe(0xdeadbeef);
    expect(() => m.read32(pa(30))).toThrow(/outside memory/);
    expect(() => m.write8(pa(-1), 0)).toThrow(SimError);
  });

  it("any value written is read back (random widths and places)", () => {
    const m = new PhysicalMemory(4, 64);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 248 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (a, v) => {
        m.write64(pa(a), v);
        expect(m.read64(pa(a))).toBe(v);
        expect(m.read32(pa(a))).toBe(Number(v & 0xffffffffn));
        expect(m.read16(pa(a + 6))).toBe(Number(v >> 48n));
      }),
    );
  });

  it("copies, zeroes, fills and compares frames", () => {
    const m = new PhysicalMemory(4, 32);
    m.fillFrame(asPfn(1), 0xaa);
    m.copyFrame(asPfn(2), asPfn(1));
    expect(m.read8(pa(64 + 31))).toBe(0xaa);
    expect(m.isFrameZero(asPfn(2))).toBe(false);
    m.zeroFrame(asPfn(2));
    expect(m.isFrameZero(asPfn(2))).toBe(true);
    expect(m.read8(pa(32 + 31))).toBe(0xaa);
    const bytes = m.frameBytes(asPfn(1));
    m.setFrameBytes(asPfn(3), bytes);
    expect(m.read8(pa(96))).toBe(0xaa);
    expect(m.paToPfn(pa(97))).toBe(3);
    expect(m.frameAddr(asPfn(3))).toBe(96);
  });

  it("save/load restores bytes and frame table", () => {
    const m = new PhysicalMemory(4, 32);
    m.write8(pa(5), 9);
    m.frameTable.setUse(asPfn(1), FRAME_ANON, 7);
    const s = m.save();
    m.write8(pa(5), 1);
    m.frameTable.release(asPfn(1));
    m.load(s);
    expect(m.read8(pa(5))).toBe(9);
    expect([m.frameTable.use[1], m.frameTable.owner[1]]).toEqual([FRAME_ANON, 7]);
  });
});

describe("FrameTable", () => {
  it("starts free and unowned; setUse and release", () => {
    const t = new FrameTable(8);
    expect(t.countUse(FRAME_FREE)).toBe(8);
    t.setUse(asPfn(2), FRAME_PAGE_TABLE, 3, 2);
    t.mapCount[2] = 1;
    expect([t.use[2], t.use[3], t.owner[3], t.countUse(FRAME_PAGE_TABLE)]).toEqual([
      FRAME_PAGE_TABLE,
      FRAME_PAGE_TABLE,
      3,
      2,
    ]);
    t.release(asPfn(2), 2);
    expect([t.use[2], t.owner[2], t.mapCount[2]]).toEqual([FRAME_FREE, NO_OWNER, 0]);
    expect(() => t.setUse(asPfn(7), FRAME_ANON, 0, 2)).toThrow(/outside/);
    expect(frameUseName(FRAME_PAGE_TABLE)).toBe("page-table");
    expect(frameUseName(200)).toBe("use-200");
  });
});

describe("Memblock", () => {
  it("allocates first-fit contiguous runs and frees them", () => {
    const m = new PhysicalMemory(8, 32);
    const mb = new Memblock(m);
    const a = mb.alloc(3);
    const b = mb.alloc(2);
    expect([a, b]).toEqual([0, 3]);
    mb.free(asPfn(0), 3);
    expect(mb.alloc(4)).toBeNull();
    expect(mb.freeFrames()).toBe(6);
    expect(mb.alloc(3)).toBe(5);
    expect(mb.alloc(2)).toBe(0);
    expect(mb.alloc(2)).toBeNull();
    expect(mb.alloc(1)).toBe(2);
  });
});
