import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CollectingSink } from "../base/events.js";
import { asAsid } from "../base/units.js";
import type { HwEvent } from "./events.js";
import { createHardware, type Hardware, type HwSnapshot } from "./hardware.js";
import { Memblock } from "./memblock.js";
import { type AddressSpace, createAddressSpace, mapPage, protectPage } from "./pagetable.js";
import { PTE_ACCESSED, PTE_READ, PTE_USER, PTE_WRITE } from "./pte.js";

function bytesOf(s: HwSnapshot): number[] {
  return [
    ...s.memory.bytes,
    ...s.memory.frames.use,
    ...s.memory.frames.owner,
    ...s.tlb.vpn,
    ...s.tlb.flags,
    ...s.tlb.stamp,
    ...s.tlb.scalars,
    ...s.tlb.rng,
    ...s.mmu,
  ];
}

describe("createHardware", () => {
  it("refuses bad configurations with a sentence", () => {
    const bad = (c: Parameters<typeof createHardware>[0]) => {
      const r = createHardware(c);
      return r.ok ? "ok" : r.problem;
    };
    expect(bad({ format: "ostep-2level", frames: 256 })).toMatch(/at most 128 frames/);
    expect(bad({ format: { pageSize: 1000, levelBits: [4], pteBytes: 4 }, frames: 4 })).toMatch(
      /not a power of two/,
    );
    expect(bad({ format: "x86-64", frames: 8, tlb: { entries: 6, ways: 4 } })).toMatch(/do not divide/);
    expect(bad({ format: "vax", frames: 8 })).toMatch(/unknown page-table format/);
    expect(bad({ format: { pageSize: 64, levelBits: [3, 3], pteBytes: 4, vaBits: 12 }, frames: 8 })).toBe(
      "ok",
    );
  });
});

type Op = readonly [kind: "read" | "write" | "exec" | "age" | "switch", page: number];

function run(hw: Hardware, spaces: AddressSpace[], ops: readonly Op[]): void {
  let cur = 0;
  for (const [kind, page] of ops) {
    const s = spaces[cur]!;
    if (kind === "switch") cur = (cur + 1) % spaces.length;
    else if (kind === "age") {
      protectPage(hw.mem, s, page * 64, 0, PTE_ACCESSED);
      hw.mmu.invlpg(s, page * 64);
    } else hw.mmu.translate(s, page * 64 + 3, kind, "user");
  }
}

describe("snapshot / restore", () => {
  it("restoring and replaying gives identical events and state", () => {
    const op = fc.tuple(
      fc.constantFrom("read", "write", "exec", "age", "switch" as const),
      fc.integer({ min: 0, max: 40 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom("lru", "fifo", "random" as const),
        fc.constantFrom("tagged", "flush" as const),
        fc.array(op, { maxLength: 60 }),
        fc.array(op, { minLength: 1, maxLength: 60 }),
        (policy, asidMode, prefix, suffix) => {
          const r = createHardware({
            format: { pageSize: 64, levelBits: [3, 3], pteBytes: 4, name: "tiny" },
            frames: 128,
            tlb: { entries: 8, ways: 2, policy, asidMode, seed: 5 },
          });
          if (!r.ok) throw new Error(r.problem);
          const hw = r.value;
          const mb = new Memblock(hw.mem);
          const spaces = [1, 2].map((a) => createAddressSpace(hw.mem, hw.format, asAsid(a), mb.tableAlloc)!);
          for (const s of spaces)
            for (let p = 0; p < 40; p += 1 + (p % 3))
              mapPage(
                hw.mem,
                s,
                p * 64,
                mb.alloc()!,
                PTE_READ | PTE_USER | (p % 2 ? PTE_WRITE : 0),
                mb.tableAlloc,
              );
          run(hw, spaces, prefix);
          const snap = hw.snapshot();
          const sink = new CollectingSink<HwEvent>();
          hw.setSink(sink);
          run(hw, spaces, suffix);
          const first = [...sink.events];
          const end = bytesOf(hw.snapshot());
          hw.restore(snap);
          // Restoring brings back the earlier state exactly…
          expect(bytesOf(hw.snapshot())).toEqual(bytesOf(snap));
          sink.clear();
          // …and replaying the same steps gives the same events and the same end state.
          run(hw, spaces, suffix);
          expect(sink.events).toEqual(first);
          expect(bytesOf(hw.snapshot())).toEqual(end);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a snapshot is a copy: later changes do not leak into it", () => {
    const r = createHardware({ format: "x86-32", frames: 8 });
    if (!r.ok) throw new Error(r.problem);
    const hw = r.value;
    const snap = hw.snapshot();
    const mb = new Memblock(hw.mem);
    const s = createAddressSpace(hw.mem, hw.format, asAsid(1), mb.tableAlloc)!;
    mapPage(hw.mem, s, 0, mb.alloc()!, PTE_READ | PTE_USER, mb.tableAlloc);
    hw.mmu.translate(s, 0, "read", "user");
    expect(bytesOf(hw.snapshot())).not.toEqual(bytesOf(snap));
    hw.restore(snap);
    expect(bytesOf(hw.snapshot())).toEqual(bytesOf(snap));
    expect(hw.tlb.occupancy()).toBe(0);
  });
});
