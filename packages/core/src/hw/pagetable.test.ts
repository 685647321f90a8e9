import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimError } from "../base/errors.js";
import { asAsid, asPfn, asSwapSlot } from "../base/units.js";
import { pteWriteSwap } from "./entry.js";
import { type PageTableFormat, presetFormat } from "./format.js";
import { FRAME_FREE, FRAME_PAGE_TABLE } from "./frames.js";
import { Memblock } from "./memblock.js";
import { PhysicalMemory } from "./memory.js";
import {
  createAddressSpace,
  destroyAddressSpace,
  ensurePte,
  findPte,
  listMappings,
  lookupPte,
  mapPage,
  protectPage,
  pruneTables,
  tablePages,
  unmapPage,
  vaToIndex,
} from "./pagetable.js";
import { PTE_COW, PTE_EXEC, PTE_READ, PTE_USER, PTE_VALID, PTE_WRITE } from "./pte.js";

function fmt(name: string): PageTableFormat {
  const r = presetFormat(name);
  if (!r.ok) throw new Error(r.problem);
  return r.value;
}

function machine(name: string, frames: number) {
  const format = fmt(name);
  const mem = new PhysicalMemory(frames, format.pageSize);
  const mb = new Memblock(mem);
  const space = createAddressSpace(mem, format, asAsid(1), mb.tableAlloc, 42);
  if (!space) throw new Error("no root");
  return { format, mem, mb, space };
}

const RW = PTE_READ | PTE_WRITE | PTE_USER;

describe("page tables in physical memory", () => {
  it("x86-64: a mapping creates one table per level, marked page-table and owned", () => {
    const { mem, mb, space } = machine("x86-64", 32);
    expect(mapPage(mem, space, 0x7fff_ffff_f000, asPfn(20), RW, mb.tableAlloc)).toBe("ok");
    const tables = tablePages(mem, space);
    expect(tables.length).toBe(4);
    for (const t of tables)
      expect([mem.frameTable.use[t], mem.frameTable.owner[t]]).toEqual([FRAME_PAGE_TABLE, 42]);
    expect(tables[0]).toBe(space.rootPfn);
    // The walk reads real bytes: the root entry for index 255 names the level-1 table.
    const rootEntry = space.rootPfn * 4096 + 255 * 8;
    expect(mem.read32(rootEntry as never) >>> 12).toBe(tables[1]);
    expect(vaToIndex(space.format, 0x7fff_ffff_f000, 0)).toBe(255);
  });

  it("findPte is side-effect free and null when a table is missing; ensurePte creates it", () => {
    const { mem, mb, space } = machine("x86-32", 8);
    expect(findPte(mem, space, 0x1000)).toBeNull();
    const used = mb.freeFrames();
    const addr = ensurePte(mem, space, 0x1000, mb.tableAlloc);
    expect(addr).not.toBeNull();
    expect(mb.freeFrames()).toBe(used - 1);
    expect(findPte(mem, space, 0x1000)).toBe(addr);
    expect(lookupPte(mem, space, 0x1000)).toBeNull();
  });

  it("allocation failure is a result, not an exception", () => {
    const { mem, space } = machine("x86-64", 4);
    expect(mapPage(mem, space, 0x1000, asPfn(3), RW, () => null)).toBe("no-memory");
    expect(ensurePte(mem, space, 0x1000, () => null)).toBeNull();
  });

  it("remapping a present page is a bug; a swap entry may be replaced", () => {
    const { format, mem, mb, space } = machine("x86-64", 16);
    mapPage(mem, space, 0x2000, asPfn(10), RW, mb.tableAlloc);
    expect(() => mapPage(mem, space, 0x2000, asPfn(11), RW, mb.tableAlloc)).toThrow(SimError);
    const pte = findPte(mem, space, 0x3000)!;
    pteWriteSwap(mem, format, pte, asSwapSlot(5), PTE_WRITE);
    expect(lookupPte(mem, space, 0x3000)?.swapSlot).toBe(5);
    expect(mapPage(mem, space, 0x3000, asPfn(11), RW, mb.tableAlloc)).toBe("ok");
    expect(lookupPte(mem, space, 0x3000)).toMatchObject({ pfn: 11, swapSlot: null });
  });

  it("protect changes flags, unmap returns the old entry", () => {
    const { mem, mb, space } = machine("sv39", 16);
    mapPage(mem, space, 0x5000, asPfn(9), RW | PTE_EXEC, mb.tableAlloc);
    expect(protectPage(mem, space, 0x5000, PTE_COW, PTE_WRITE)).toBe(true);
    expect(lookupPte(mem, space, 0x5000)?.flags).toBe(PTE_VALID | PTE_READ | PTE_EXEC | PTE_USER | PTE_COW);
    expect(protectPage(mem, space, 0x6000, 0, PTE_WRITE)).toBe(false);
    expect(unmapPage(mem, space, 0x5000)?.pfn).toBe(9);
    expect(unmapPage(mem, space, 0x5000)).toBeNull();
  });

  it("unmap with a free callback releases empty tables bottom-up, never the root", () => {
    const { mem, mb, space } = machine("x86-64", 16);
    mapPage(mem, space, 0x1000, asPfn(12), RW, mb.tableAlloc);
    mapPage(mem, space, 0x2000, asPfn(13), RW, mb.tableAlloc);
    const free0 = mb.freeFrames();
    unmapPage(mem, space, 0x1000, mb.tableFree);
    expect(mb.freeFrames()).toBe(free0);
    unmapPage(mem, space, 0x2000, mb.tableFree);
    expect(mb.freeFrames()).toBe(free0 + 3);
    expect(tablePages(mem, space)).toEqual([space.rootPfn]);
    expect(pruneTables(mem, space, 0x2000, mb.tableFree)).toBe(0);
  });

  it("destroyAddressSpace frees every table page", () => {
    const { mem, mb, space } = machine("x86-32", 16);
    mapPage(mem, space, 0x1000, asPfn(12), RW, mb.tableAlloc);
    mapPage(mem, space, 0x40_0000, asPfn(13), RW, mb.tableAlloc);
    expect(destroyAddressSpace(mem, space, mb.tableFree)).toBe(3);
    expect(mem.frameTable.countUse(FRAME_PAGE_TABLE)).toBe(0);
    expect(mem.frameTable.countUse(FRAME_FREE)).toBe(16);
  });

  it("canonical upper-half addresses are negative numbers and enumerate as such", () => {
    const { mem, mb, space } = machine("x86-64", 16);
    const kernelVa = -(2 ** 47); // 0xffff800000000000
    mapPage(mem, space, kernelVa, asPfn(14), PTE_READ | PTE_WRITE, mb.tableAlloc);
    expect(vaToIndex(space.format, kernelVa, 0)).toBe(256);
    expect(listMappings(mem, space).map((m) => m.va)).toEqual([kernelVa]);
  });

  it("a linear table and tiny-page formats work the same way", () => {
    const lin = machine("linear", 8);
    mapPage(lin.mem, lin.space, 0x3f_f000, asPfn(7), RW, lin.mb.tableAlloc);
    expect(tablePages(lin.mem, lin.space).length).toBe(1);
    const os = machine("ostep-2level", 128);
    mapPage(os.mem, os.space, 0x7fe0, asPfn(100), PTE_VALID, os.mb.tableAlloc);
    expect(lookupPte(os.mem, os.space, 0x7fe0)?.pfn).toBe(100);
  });
});

const FORMATS = ["x86-32", "x86-64", "sv39", "linear", "ostep-2level"];

describe("properties", () => {
  it("for random mappings, enumeration equals the model, and unmapping all frees every table", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FORMATS),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
            fc.integer({ min: 0, max: 63 }),
          ),
          {
            maxLength: 40,
          },
        ),
        (name, picks) => {
          const { format, mem, mb, space } = machine(name, 128);
          const pages = format.vaLimit / format.pageSize;
          const minPage = format.vaMin / format.pageSize;
          const model = new Map<number, number>();
          for (const [r, pfn] of picks) {
            const va = (minPage + Math.floor(r * (pages - minPage))) * format.pageSize;
            if (model.has(va)) continue;
            if (mapPage(mem, space, va, asPfn(pfn), RW, mb.tableAlloc) === "no-memory") continue;
            model.set(va, pfn);
          }
          for (const [va, pfn] of model) expect(lookupPte(mem, space, va)?.pfn).toBe(pfn);
          const listed = new Map(listMappings(mem, space).map((m) => [m.va as number, m.pfn as number]));
          expect(listed).toEqual(model);
          for (const va of model.keys()) unmapPage(mem, space, va, mb.tableFree);
          expect(tablePages(mem, space)).toEqual([space.rootPfn]);
          expect(mem.frameTable.countUse(FRAME_PAGE_TABLE)).toBe(1);
        },
      ),
      { numRuns: 150 },
    );
  });
});
