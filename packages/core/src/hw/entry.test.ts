import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asPhysAddr, asSwapSlot } from "../base/units.js";
import {
  pteClear,
  pteFlags,
  pteHex,
  pteRaw,
  pteRead,
  pteUpdateFlags,
  pteWrite,
  pteWriteSwap,
} from "./entry.js";
import { FORMAT_PRESETS, type PageTableFormat, presetFormat } from "./format.js";
import { PhysicalMemory } from "./memory.js";
import {
  PTE_ACCESSED,
  PTE_COW,
  PTE_DIRTY,
  PTE_EXEC,
  PTE_FLAG_COUNT,
  PTE_GLOBAL,
  PTE_READ,
  PTE_SWAPPED,
  PTE_USER,
  PTE_VALID,
  PTE_WRITE,
  pteFlagsToString,
} from "./pte.js";

function fmt(name: string): PageTableFormat {
  const r = presetFormat(name);
  if (!r.ok) throw new Error(r.problem);
  return r.value;
}

const at = asPhysAddr(64);

describe("native layouts", () => {
  it("x86-64: P, RW, US, A, D, G at their SDM positions, pfn at 12, NX at 63", () => {
    const f = fmt("x86-64");
    const mem = new PhysicalMemory(4, 4096);
    pteWrite(mem, f, at, 0x12345, PTE_VALID | PTE_WRITE | PTE_USER | PTE_ACCESSED | PTE_DIRTY | PTE_GLOBAL);
    expect(pteRaw(mem, f, at)).toBe(0x8000000012345167n);
    expect(pteHex(mem, f, at)).toBe("0x8000000012345167");
    pteWrite(mem, f, at, 1, PTE_VALID | PTE_EXEC);
    expect(pteRaw(mem, f, at)).toBe(0x1001n);
  });
  it("x86-32: 4-byte entries, no NX", () => {
    const f = fmt("x86-32");
    const mem = new PhysicalMemory(4, 4096);
    pteWrite(mem, f, at, 0xfffff, PTE_VALID | PTE_WRITE | PTE_COW);
    expect(pteRaw(mem, f, at)).toBe(0xfffff203n);
    expect(pteFlags(mem, f, at)).toBe(PTE_VALID | PTE_READ | PTE_WRITE | PTE_EXEC | PTE_COW);
  });
  it("sv39: V R W X U G A D, PPN at bit 10", () => {
    const f = fmt("sv39");
    const mem = new PhysicalMemory(4, 4096);
    pteWrite(mem, f, at, 3, PTE_VALID | PTE_READ | PTE_EXEC | PTE_ACCESSED);
    expect(pteRaw(mem, f, at)).toBe((3n << 10n) | 0b1001011n);
  });
  it("ostep-2level: valid bit 7 and a 7-bit pfn in one byte, as in vm-smalltables", () => {
    const f = fmt("ostep-2level");
    const mem = new PhysicalMemory(128, 32);
    pteWrite(mem, f, at, 0x65, PTE_VALID);
    expect(mem.read8(at)).toBe(0xe5);
    expect(pteRead(mem, f, at)).toMatchObject({ pfn: 0x65, swapSlot: null });
    expect(pteFlags(mem, f, at)).toBe(PTE_VALID | PTE_READ | PTE_WRITE | PTE_EXEC | PTE_USER);
    mem.write8(at, 0x7f);
    expect(pteFlags(mem, f, at)).toBe(0);
  });
  it("software bits the format lacks are refused", () => {
    const f = fmt("ostep-2level");
    const mem = new PhysicalMemory(128, 32);
    expect(() => pteWrite(mem, f, at, 1, PTE_VALID | PTE_COW)).toThrow(/no copy-on-write bit/);
    expect(() => pteWriteSwap(mem, f, at, asSwapSlot(3))).toThrow(/cannot hold swap entries/);
    expect(() => pteWrite(mem, f, at, 128, PTE_VALID)).toThrow(/7-bit pfn/);
  });
  it("flag strings", () => {
    expect(pteFlagsToString(PTE_VALID | PTE_READ | PTE_WRITE | PTE_USER | PTE_ACCESSED)).toBe("VRW-U-A---");
  });
});

describe("round trips on every preset", () => {
  for (const name of FORMAT_PRESETS) {
    it(`${name}: what is written is read back (within what the format represents)`, () => {
      const f = fmt(name);
      const mem = new PhysicalMemory(4, f.pageSize);
      const maxPfn = Math.min(f.maxFrames, 2 ** 31) - 1;
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: maxPfn }),
          fc.integer({ min: 0, max: 2 ** PTE_FLAG_COUNT - 1 }),
          (pfn, raw) => {
            let flags = (raw | PTE_VALID) & ~PTE_SWAPPED & f.codec.representable;
            if (!f.caps.cow) flags &= ~PTE_COW;
            pteWrite(mem, f, at, pfn, flags);
            const info = pteRead(mem, f, at);
            expect(info.pfn).toBe(pfn);
            expect(info.flags).toBe(flags | f.codec.impliedWhenValid);
            expect(info.swapSlot).toBeNull();
          },
        ),
      );
    });
  }
  it("swap entries keep their slot and are not present", () => {
    for (const name of ["x86-32", "x86-64", "sv39"]) {
      const f = fmt(name);
      const mem = new PhysicalMemory(4, f.pageSize);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 20 - 1 }), (slot) => {
          pteWriteSwap(mem, f, at, asSwapSlot(slot), PTE_WRITE | PTE_VALID);
          const info = pteRead(mem, f, at);
          expect(info.swapSlot).toBe(slot);
          expect(info.flags & PTE_VALID).toBe(0);
          expect(info.flags & PTE_SWAPPED).toBe(PTE_SWAPPED);
        }),
      );
    }
  });
  it("update flags keeps the pfn; clear zeroes", () => {
    const f = fmt("x86-64");
    const mem = new PhysicalMemory(4, 4096);
    pteWrite(mem, f, at, 77, PTE_VALID | PTE_WRITE | PTE_ACCESSED);
    pteUpdateFlags(mem, f, at, PTE_COW, PTE_WRITE | PTE_ACCESSED);
    expect(pteRead(mem, f, at)).toMatchObject({ pfn: 77, flags: PTE_VALID | PTE_READ | PTE_COW });
    pteClear(mem, f, at);
    expect(pteRaw(mem, f, at)).toBe(0n);
  });
});
