import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkFrameCount, FORMAT_PRESETS, makeFormat, presetFormat } from "./format.js";
import {
  PTE_COW,
  PTE_DIRTY,
  PTE_EXEC,
  PTE_READ,
  PTE_SWAPPED,
  PTE_USER,
  PTE_VALID,
  PTE_WRITE,
} from "./pte.js";

function preset(name: string) {
  const r = presetFormat(name);
  if (!r.ok) throw new Error(r.problem);
  return r.value;
}

describe("presets", () => {
  it("have the documented geometry", () => {
    const x32 = preset("x86-32");
    expect([x32.pageSize, x32.levelBits, x32.pteBytes, x32.vaBits, x32.canonical]).toEqual([
      4096,
      [10, 10],
      4,
      32,
      false,
    ]);
    const x64 = preset("x86-64");
    expect([x64.levelBits, x64.pteBytes, x64.vaBits, x64.canonical]).toEqual([[9, 9, 9, 9], 8, 48, true]);
    expect([x64.vaMin, x64.vaLimit]).toEqual([-(2 ** 47), 2 ** 47]);
    const sv39 = preset("sv39");
    expect([sv39.levels, sv39.vaBits, sv39.layout.family]).toEqual([3, 39, "riscv"]);
    expect(preset("linear").levels).toBe(1);
    const ostep = preset("ostep-2level");
    expect([ostep.pageSize, ostep.levelBits, ostep.pteBytes, ostep.vaBits, ostep.maxFrames]).toEqual([
      32,
      [5, 5],
      1,
      15,
      128,
    ]);
  });

  it("every preset's tables fit in one frame", () => {
    for (const name of FORMAT_PRESETS) expect(preset(name).tableFrames.every((n) => n === 1)).toBe(true);
  });

  it("capabilities say what the entry can carry", () => {
    const ostep = preset("ostep-2level").caps;
    expect(ostep).toEqual({
      readProtect: false,
      writeProtect: false,
      execProtect: false,
      userProtect: false,
      accessed: false,
      dirty: false,
      global: false,
      cow: false,
      swap: false,
    });
    const x64 = preset("x86-64").caps;
    expect(x64.execProtect && x64.cow && x64.swap && x64.dirty && !x64.readProtect).toBe(true);
    expect(preset("x86-32").caps.execProtect).toBe(false);
    expect(preset("sv39").caps.readProtect).toBe(true);
  });

  it("implied bits: x86 present pages are readable, ostep pages are everything", () => {
    expect(preset("x86-64").codec.impliedWhenValid).toBe(PTE_READ);
    expect(preset("x86-32").codec.impliedWhenValid).toBe(PTE_READ | PTE_EXEC);
    expect(preset("ostep-2level").codec.impliedWhenValid).toBe(PTE_READ | PTE_WRITE | PTE_EXEC | PTE_USER);
    expect(preset("ostep-2level").codec.representable & (PTE_DIRTY | PTE_COW | PTE_SWAPPED)).toBe(0);
    expect(preset("sv39").codec.representable & PTE_VALID).toBe(PTE_VALID);
  });
});

describe("bad configurations are refused with a sentence", () => {
  it("page size not a power of two", () => {
    const r = makeFormat({ pageSize: 3000, levelBits: [10], pteBytes: 4 });
    expect(r).toEqual({
      ok: false,
      problem: expect.stringContaining("page size 3000 is not a power of two"),
    });
  });
  it("page size too small", () => {
    const r = makeFormat({ pageSize: 8, levelBits: [4], pteBytes: 1 });
    expect(r.ok ? "" : r.problem).toMatch(/smaller than the smallest/);
  });
  it("level bits not adding up", () => {
    const r = makeFormat({ pageSize: 4096, levelBits: [9, 9, 9], pteBytes: 8, vaBits: 48 });
    expect(r.ok ? "" : r.problem).toBe(
      "level bits 9+9+9 plus 12 offset bits make 39-bit addresses, not the 48 bits asked for",
    );
  });
  it("too many levels, bad entry width, layout that does not fit", () => {
    expect(makeFormat({ pageSize: 4096, levelBits: [2, 2, 2, 2, 2, 2], pteBytes: 8 }).ok).toBe(false);
    const w = makeFormat({ pageSize: 4096, levelBits: [9], pteBytes: 2 });
    expect(w.ok ? "" : w.problem).toBe("an entry is 1, 4 or 8 bytes wide, not 2");
    const l = makeFormat({ pageSize: 32, levelBits: [5], pteBytes: 1, layout: "x86" });
    expect(l.ok ? "" : l.problem).toMatch(/needs 4 or 8 bytes/);
  });
  it("more frames than the format can address", () => {
    expect(checkFrameCount(preset("ostep-2level"), 128)).toBeNull();
    expect(checkFrameCount(preset("ostep-2level"), 129)).toBe(
      "format ostep-2level addresses at most 128 frames (a 7-bit pfn), but 129 were asked for",
    );
    expect(checkFrameCount(preset("x86-64"), 0)).toMatch(/whole number of frames/);
  });
  it("unknown preset names list the known ones", () => {
    const r = presetFormat("arm64");
    expect(r.ok ? "" : r.problem).toMatch(
      /unknown page-table format "arm64"; expected one of x86-32, x86-64/,
    );
  });
  it("any shape whose bits add up is accepted", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 16 }),
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(1, 4, 8),
        (shift, bits, pte) => {
          const vaBits = shift + bits.reduce((a, b) => a + b, 0);
          const r = makeFormat({ pageSize: 2 ** shift, levelBits: bits, pteBytes: pte, vaBits });
          // Wider than 52 bits cannot be represented exactly and is refused.
          expect(r.ok).toBe(vaBits <= 52);
          if (r.ok)
            expect(r.value.tableFrames).toEqual(
              bits.map((b) => Math.max(1, Math.ceil((2 ** b * pte) / 2 ** shift))),
            );
        },
      ),
    );
  });
});
