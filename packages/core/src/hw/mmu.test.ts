import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CollectingSink } from "../base/events.js";
import { type Asid, asAsid, asPfn } from "../base/units.js";
import { pteFlags } from "./entry.js";
import type { HwEvent } from "./events.js";
import { createHardware, type Hardware } from "./hardware.js";
import { Memblock } from "./memblock.js";
import { FAULT } from "./mmu.js";
import {
  type AddressSpace,
  createAddressSpace,
  findPte,
  lookupPte,
  mapPage,
  protectPage,
  unmapPage,
} from "./pagetable.js";
import {
  PTE_ACCESSED,
  PTE_DIRTY,
  PTE_EXEC,
  PTE_GLOBAL,
  PTE_READ,
  PTE_USER,
  PTE_VALID,
  PTE_WRITE,
} from "./pte.js";
import type { TlbConfig } from "./tlb.js";

const RW = PTE_READ | PTE_WRITE | PTE_USER;

/** Deep equality for snapshots (typed arrays compared element by element, quickly). */
function sameState(a: unknown, b: unknown): boolean {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => sameState((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function setup(format = "x86-64", frames = 64, tlb?: TlbConfig) {
  const r = createHardware(tlb ? { format, frames, tlb } : { format, frames });
  if (!r.ok) throw new Error(r.problem);
  const hw: Hardware = r.value;
  const mb = new Memblock(hw.mem);
  const space = (asid: number): AddressSpace => {
    const s = createAddressSpace(hw.mem, hw.format, asAsid(asid), mb.tableAlloc);
    if (!s) throw new Error("no memory");
    return s;
  };
  const map = (s: AddressSpace, va: number, flags: number) => {
    const pfn = mb.alloc(1);
    if (pfn === null) throw new Error("no memory");
    expect(mapPage(hw.mem, s, va, pfn, flags, mb.tableAlloc)).toBe("ok");
    return pfn;
  };
  return { hw, mb, space, map };
}

describe("translate", () => {
  it("miss, walk, fill, then hit; pa = frame + offset", () => {
    const { hw, space, map } = setup();
    const s = space(1);
    const pfn = map(s, 0x40_0000, RW);
    const a = hw.mmu.translate(s, 0x40_0123, "read", "user");
    expect(a).toEqual({ kind: "ok", pa: pfn * 4096 + 0x123, pfn, tlbHit: false });
    expect(hw.mmu.translate(s, 0x40_0fff, "read", "user")).toMatchObject({ kind: "ok", tlbHit: true });
    expect([hw.tlb.hits, hw.tlb.misses, hw.mmu.walks]).toEqual([1, 1, 1]);
  });

  it("not-present faults say the level where the walk stopped", () => {
    const { hw, space, map } = setup();
    const s = space(1);
    map(s, 0x40_0000, RW);
    const leaf = findPte(hw.mem, s, 0x40_1000);
    expect(hw.mmu.translate(s, 0x40_1000, "read", "user")).toMatchObject({
      kind: "fault",
      fault: { kind: "not-present", level: 3, pteAddr: leaf },
    });
    expect(hw.mmu.translate(s, 0x7000_0000_0000, "read", "user")).toMatchObject({
      fault: { kind: "not-present", level: 0, pteAddr: null },
    });
    expect(hw.mmu.faults).toBe(2);
  });

  it("protection faults name the violated right", () => {
    const { hw, space, map } = setup();
    const s = space(1);
    map(s, 0x1000, PTE_READ | PTE_USER);
    map(s, 0x2000, PTE_READ | PTE_WRITE);
    map(s, 0x3000, PTE_READ | PTE_EXEC | PTE_USER);
    const right = (va: number, access: "read" | "write" | "exec", mode: "user" | "kernel") => {
      const t = hw.mmu.translate(s, va, access, mode);
      return t.kind === "fault" && t.fault.kind === "protection" ? t.fault.right : t.kind;
    };
    expect(right(0x1000, "write", "user")).toBe("write");
    expect(right(0x1000, "exec", "user")).toBe("exec");
    expect(right(0x2000, "read", "user")).toBe("user");
    expect(right(0x2000, "write", "kernel")).toBe("ok");
    expect(right(0x1000, "write", "kernel")).toBe("write"); // CR0.WP = 1
    expect(right(0x3000, "exec", "user")).toBe("ok");
    // The same answers when the entry is already in the TLB.
    expect(right(0x1000, "write", "user")).toBe("write");
    expect(right(0x3000, "write", "user")).toBe("write");
  });

  it("non-canonical and out-of-range addresses", () => {
    const a = setup("x86-64");
    const s = a.space(1);
    expect(a.hw.mmu.translate(s, 2 ** 47, "read", "user")).toMatchObject({
      fault: { kind: "non-canonical" },
    });
    expect(a.hw.mmu.translate(s, -(2 ** 47) - 1, "read", "user")).toMatchObject({
      fault: { kind: "non-canonical" },
    });
    const b = setup("x86-32");
    expect(b.hw.mmu.translate(b.space(1), 2 ** 32, "read", "user")).toMatchObject({
      fault: { kind: "out-of-range" },
    });
    expect(b.hw.mmu.translate(b.space(1), -4, "read", "user")).toMatchObject({
      fault: { kind: "out-of-range" },
    });
  });

  it("translateFast returns FAULT with the details in fields", () => {
    const { hw, space, map } = setup();
    const s = space(1);
    const pfn = map(s, 0x5000, PTE_READ | PTE_USER);
    expect(hw.mmu.translateFast(s, 0x5004, "read", "user")).toBe(pfn * 4096 + 4);
    expect(hw.mmu.translateFast(s, 0x5004, "write", "user")).toBe(FAULT);
    expect([hw.mmu.faultKind, hw.mmu.faultRight]).toEqual(["protection", "write"]);
    expect(hw.mmu.translateFast(s, 0x6000, "read", "user")).toBe(FAULT);
    expect(hw.mmu.faultKind).toBe("not-present");
  });

  it("a write through a TLB entry cached clean walks again and sets D in memory", () => {
    const { hw, space, map } = setup();
    const s = space(1);
    map(s, 0x5000, RW);
    hw.mmu.translate(s, 0x5000, "read", "user");
    const pte = findPte(hw.mem, s, 0x5000)!;
    expect(pteFlags(hw.mem, hw.format, pte) & (PTE_ACCESSED | PTE_DIRTY)).toBe(PTE_ACCESSED);
    expect(hw.mmu.translate(s, 0x5000, "write", "user")).toMatchObject({ kind: "ok" });
    expect(pteFlags(hw.mem, hw.format, pte) & PTE_DIRTY).toBe(PTE_DIRTY);
    expect(hw.mmu.walks).toBe(2);
    hw.mmu.translate(s, 0x5000, "write", "user");
    expect(hw.mmu.walks).toBe(2);
  });

  it("x86 sets A in interior entries; sv39 does not", () => {
    const x = setup("x86-64");
    const xs = x.space(1);
    x.map(xs, 0x5000, RW);
    x.hw.mmu.translate(xs, 0x5000, "read", "user");
    expect(x.hw.mmu.peekWalk(xs, 0x5000).every((st) => (st.flags & PTE_ACCESSED) !== 0)).toBe(true);
    const r = setup("sv39");
    const rs = r.space(1);
    r.map(rs, 0x5000, RW);
    r.hw.mmu.translate(rs, 0x5000, "read", "user");
    const steps = r.hw.mmu.peekWalk(rs, 0x5000);
    expect(steps.map((st) => (st.flags & PTE_ACCESSED) !== 0)).toEqual([false, false, true]);
  });

  it("ASIDs keep spaces apart; global pages are shared by the TLB", () => {
    const { hw, space, map } = setup();
    const a = space(1);
    const b = space(2);
    const pa = map(a, 0x1000, RW);
    const pb = map(b, 0x1000, RW);
    expect(hw.mmu.translate(a, 0x1000, "read", "user")).toMatchObject({ pfn: pa });
    expect(hw.mmu.translate(b, 0x1000, "read", "user")).toMatchObject({ pfn: pb, tlbHit: false });
    expect(hw.mmu.translate(a, 0x1000, "read", "user")).toMatchObject({ pfn: pa, tlbHit: true });
    const k = map(a, -4096, PTE_READ | PTE_WRITE | PTE_GLOBAL);
    expect(hw.mmu.translate(a, -4096, "read", "kernel")).toMatchObject({ pfn: k, tlbHit: false });
    // b has no such mapping, but the global TLB entry answers (as on x86).
    expect(hw.mmu.translate(b, -4096, "read", "kernel")).toMatchObject({ pfn: k, tlbHit: true });
  });

  it("flush-on-switch mode empties the TLB on every switch of space", () => {
    const { hw, space, map } = setup("x86-64", 64, { entries: 16, ways: 4, asidMode: "flush" });
    const a = space(1);
    const b = space(2);
    map(a, 0x1000, RW);
    map(b, 0x1000, RW);
    hw.mmu.translate(a, 0x1000, "read", "user");
    hw.mmu.translate(b, 0x1000, "read", "user");
    expect(hw.mmu.translate(a, 0x1000, "read", "user")).toMatchObject({ tlbHit: false });
    expect(hw.tlb.flushes).toBe(3);
  });

  it("the ostep format translates through 1-byte entries", () => {
    const { hw, space, map } = setup("ostep-2level", 128);
    const s = space(0);
    const pfn = map(s, 0x611c & ~31, PTE_VALID);
    expect(hw.mmu.translate(s, 0x611c, "write", "user")).toMatchObject({ kind: "ok", pa: pfn * 32 + 0x1c });
    const steps = hw.mmu.peekWalk(s, 0x611c);
    expect(steps.map((st) => st.index)).toEqual([0x18, 0x08]);
    expect(steps[1]!.entry).toBe("0x" + (0x80 | pfn).toString(16));
  });
});

describe("events", () => {
  it("a miss emits miss, one walk per level, fill; a hit emits hit, also when the rights then fault", () => {
    const { hw, space, map } = setup();
    const s = space(3);
    map(s, 0x1000, RW);
    const sink = new CollectingSink<HwEvent>();
    hw.setSink(sink);
    hw.mmu.translate(s, 0x1000, "read", "user");
    hw.mmu.translate(s, 0x1000, "read", "user");
    hw.mmu.translate(s, 0x1000, "exec", "user");
    expect(sink.events.map((e) => e.kind)).toEqual([
      "tlb-miss",
      "walk",
      "walk",
      "walk",
      "walk",
      "tlb-fill",
      "tlb-hit",
      "tlb-hit",
      "fault",
    ]);
    const walk = sink.events[4]!;
    expect(walk).toMatchObject({ kind: "walk", level: 3, index: 1, valid: true });
  });
  it("nothing is emitted without a sink, and peek emits nothing even with one", () => {
    const { hw, space, map } = setup();
    const s = space(3);
    map(s, 0x1000, RW);
    const sink = new CollectingSink<HwEvent>();
    hw.setSink(sink);
    hw.mmu.peek(s, 0x1000, "write", "user");
    hw.mmu.peekWalk(s, 0x1000);
    expect(sink.events).toEqual([]);
  });
});

describe("peek has no side effects", () => {
  it("no A/D bits, no TLB fill, no counters, same answer as translate", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 15 }), fc.constantFrom("read", "write", "exec" as const)),
          {
            maxLength: 30,
          },
        ),
        (accesses) => {
          const { hw, space, map } = setup("x86-64", 64, { entries: 4, ways: 2 });
          const s = space(1);
          for (let p = 0; p < 16; p += 2) map(s, p * 4096, p % 4 === 0 ? RW : PTE_READ | PTE_USER);
          for (const [p, access] of accesses) {
            const before = hw.snapshot();
            const peeked = hw.mmu.peek(s, p * 4096 + 8, access, "user");
            expect(sameState(hw.snapshot(), before)).toBe(true);
            const real = hw.mmu.translate(s, p * 4096 + 8, access, "user");
            if (real.kind === "ok" && peeked.kind === "ok") expect(peeked.pa).toBe(real.pa);
            else expect(peeked).toEqual(real);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

const FORMATS = ["x86-32", "x86-64", "sv39", "linear", "ostep-2level"];

describe("properties", () => {
  it("for random mappings, translate(va) equals the mapping", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FORMATS),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
          minLength: 1,
          maxLength: 24,
        }),
        fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })), {
          maxLength: 60,
        }),
        (name, pagePicks, probes) => {
          const { hw, space, map } = setup(name, 128, { entries: 8, ways: 2 });
          const f = hw.format;
          const s = space(1);
          const minPage = f.vaMin / f.pageSize;
          const pages = f.vaLimit / f.pageSize - minPage;
          const model = new Map<number, number>();
          for (const r of pagePicks) {
            const va = (minPage + Math.floor(r * pages)) * f.pageSize;
            if (!model.has(va)) model.set(va, map(s, va, RW));
          }
          const vas = [...model.keys()];
          for (const [i, r] of probes) {
            // Half the probes hit a mapped page, half anywhere.
            const page = i % 2 === 0 ? vas[i % vas.length]! : (minPage + Math.floor(r * pages)) * f.pageSize;
            const va = page + Math.floor(r * f.pageSize);
            const t = hw.mmu.translate(s, va, i % 3 === 0 ? "write" : "read", "user");
            const pfn = model.get(page);
            if (pfn === undefined) expect(t).toMatchObject({ kind: "fault", fault: { kind: "not-present" } });
            else expect(t).toMatchObject({ kind: "ok", pa: pfn * f.pageSize + (va - page) });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("after unmap + invlpg the TLB never returns the stale translation", () => {
    const op = fc.tuple(
      fc.constantFrom("map", "unmap", "read", "write", "switch"),
      fc.integer({ min: 0, max: 11 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<TlbConfig>(
          { entries: 4, ways: 4, policy: "lru" },
          { entries: 8, ways: 2, policy: "fifo" },
          { entries: 8, ways: 1, policy: "random", asidMode: "flush" },
        ),
        fc.array(op, { maxLength: 120 }),
        (tlb, ops) => {
          const { hw, mb, space } = setup("x86-64", 96, tlb);
          const spaces = [space(1), space(2)];
          const model = [new Map<number, number>(), new Map<number, number>()];
          let cur = 0;
          for (const [kind, page] of ops) {
            const s = spaces[cur]!;
            const m = model[cur]!;
            const va = page * 4096;
            if (kind === "switch") cur = 1 - cur;
            else if (kind === "map" && !m.has(va)) {
              const pfn = mb.alloc(1)!;
              mapPage(hw.mem, s, va, pfn, RW, mb.tableAlloc);
              m.set(va, pfn);
            } else if (kind === "unmap" && m.has(va)) {
              unmapPage(hw.mem, s, va, mb.tableFree);
              hw.mmu.invlpg(s, va);
              mb.free(asPfn(m.get(va)!));
              m.delete(va);
            } else if (kind === "read" || kind === "write") {
              const t = hw.mmu.translate(s, va + 5, kind, "user");
              const pfn = m.get(va);
              if (pfn === undefined) expect(t.kind).toBe("fault");
              else expect(t).toMatchObject({ kind: "ok", pfn });
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("A/D bits match the access history (with the kernel clearing them and invalidating)", () => {
    const op = fc.tuple(fc.constantFrom("read", "write", "exec", "clear"), fc.integer({ min: 0, max: 7 }));
    fc.assert(
      fc.property(
        fc.constantFrom("x86-64", "x86-32", "sv39"),
        fc.array(op, { maxLength: 80 }),
        (name, ops) => {
          const { hw, space, map } = setup(name, 64, { entries: 4, ways: 2 });
          const s = space(1);
          for (let p = 0; p < 8; p++) map(s, p * 4096, RW | PTE_EXEC);
          const accessed = new Set<number>();
          const dirty = new Set<number>();
          for (const [kind, p] of ops) {
            if (kind === "clear") {
              protectPage(hw.mem, s, p * 4096, 0, PTE_ACCESSED | PTE_DIRTY);
              hw.mmu.invlpg(s, p * 4096);
              accessed.delete(p);
              dirty.delete(p);
              continue;
            }
            expect(hw.mmu.translate(s, p * 4096 + 1, kind, "user").kind).toBe("ok");
            accessed.add(p);
            if (kind === "write") dirty.add(p);
          }
          for (let p = 0; p < 8; p++) {
            const f = lookupPte(hw.mem, s, p * 4096)!.flags;
            expect([(f & PTE_ACCESSED) !== 0, (f & PTE_DIRTY) !== 0]).toEqual([
              accessed.has(p),
              dirty.has(p),
            ]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("asid brand", () => {
  it("current asid follows the last space", () => {
    const { hw, space } = setup();
    const s = space(7);
    hw.mmu.translate(s, 0, "read", "user");
    const asid: Asid = hw.mmu.currentAsid;
    expect(asid).toBe(7);
  });
});

describe("flush-on-switch by page-table root", () => {
  it("two spaces with the same ASID still flush between them in flush mode", () => {
    const { hw, space, map } = setup("x86-64", 64, { entries: 16, ways: 4, asidMode: "flush" });
    const a = space(0);
    const b = space(0);
    const pa = map(a, 0x1000, RW);
    const pb = map(b, 0x1000, RW);
    expect(hw.mmu.translate(a, 0x1000, "read", "user")).toMatchObject({ pfn: pa });
    expect(hw.mmu.translate(b, 0x1000, "read", "user")).toMatchObject({ pfn: pb, tlbHit: false });
    expect(hw.mmu.translate(a, 0x1000, "read", "user")).toMatchObject({ pfn: pa, tlbHit: false });
  });
});

describe("the quiet miss path (no sink) and the evented walk agree", () => {
  it("same results, same memory, same TLB, with and without a sink", () => {
    const access = fc.tuple(
      fc.integer({ min: 0, max: 23 }),
      fc.constantFrom("read", "write", "exec" as const),
      fc.constantFrom("user", "kernel" as const),
    );
    fc.assert(
      fc.property(
        fc.constantFrom("x86-64", "x86-32", "sv39", "linear"),
        fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 16, maxLength: 16 }),
        fc.array(access, { maxLength: 80 }),
        (name, flagPicks, accesses) => {
          const a = setup(name, 96, { entries: 4, ways: 2 });
          const b = setup(name, 96, { entries: 4, ways: 2 });
          b.hw.setSink(new CollectingSink<HwEvent>());
          const sa = a.space(1);
          const sb = b.space(1);
          // Pages 0..15 mapped with random rights (16..23 unmapped); some pages far apart.
          for (let p = 0; p < 16; p++) {
            const bits = flagPicks[p]!;
            const flags =
              (bits & 1 ? PTE_WRITE : 0) | (bits & 2 ? PTE_EXEC : 0) | (bits & 4 ? 0 : PTE_USER) | PTE_READ;
            const va = (p % 2 ? p : p * 64) * 4096;
            a.map(sa, va, flags);
            b.map(sb, va, flags);
          }
          for (const [p, kind, mode] of accesses) {
            const va = (p % 2 ? p : p * 64) * 4096 + 7;
            expect(a.hw.mmu.translate(sa, va, kind, mode)).toEqual(b.hw.mmu.translate(sb, va, kind, mode));
          }
          expect(sameState(a.hw.snapshot(), b.hw.snapshot())).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
