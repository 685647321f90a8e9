import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CollectingSink } from "../base/events.js";
import { FastRng } from "../base/rng.js";
import type { HwEvent } from "./events.js";
import { PTE_GLOBAL, PTE_VALID } from "./pte.js";
import { checkTlbConfig, TLB_MISS, Tlb, type TlbConfig, type TlbPolicy } from "./tlb.js";

const V = PTE_VALID;

describe("Tlb basics", () => {
  it("fills, finds, and tags by ASID", () => {
    const t = new Tlb({ entries: 4 });
    const s = t.fill(10, 1, 100, V);
    expect(t.lookup(10, 1)).toBe(s);
    expect(t.lookup(10, 2)).toBe(TLB_MISS);
    expect(t.pfn[s]).toBe(100);
  });

  it("global entries match every ASID and survive a non-global flush, not a full one", () => {
    const t = new Tlb({ entries: 8 });
    t.fill(5, 1, 50, V | PTE_GLOBAL);
    t.fill(6, 1, 60, V);
    expect(t.lookup(5, 9)).not.toBe(TLB_MISS);
    expect(t.flushNonGlobal()).toBe(1);
    expect(t.lookup(6, 1)).toBe(TLB_MISS);
    expect(t.lookup(5, 3)).not.toBe(TLB_MISS);
    expect(t.flushAll()).toBe(1);
    expect(t.occupancy()).toBe(0);
    expect(t.flushes).toBe(2);
  });

  it("invlpg drops the ASID's entry and a global one for the page", () => {
    const t = new Tlb({ entries: 8 });
    t.fill(5, 1, 50, V);
    t.fill(5, 2, 51, V);
    t.fill(7, 0, 70, V | PTE_GLOBAL);
    expect(t.invlpg(1, 5)).toBe(1);
    expect(t.lookup(5, 2)).not.toBe(TLB_MISS);
    expect(t.invlpg(2, 7)).toBe(1);
    expect(t.lookup(7, 2)).toBe(TLB_MISS);
    expect(t.invalidations).toBe(2);
  });

  it("flushAsid removes only that ASID's entries", () => {
    const t = new Tlb({ entries: 8 });
    t.fill(1, 1, 1, V);
    t.fill(2, 1, 2, V);
    t.fill(3, 2, 3, V);
    expect(t.flushAsid(1)).toBe(2);
    expect(t.occupancy()).toBe(1);
  });

  it("flush mode drops non-global entries when the ASID changes", () => {
    const t = new Tlb({ entries: 8, asidMode: "flush" });
    t.switchAsid(1);
    t.fill(1, 1, 1, V);
    t.fill(2, 1, 2, V | PTE_GLOBAL);
    t.switchAsid(1);
    expect(t.occupancy()).toBe(2);
    t.switchAsid(2);
    expect(t.occupancy()).toBe(1);
    expect(t.lookup(2, 2)).not.toBe(TLB_MISS);
  });

  it("LRU evicts the least recently used way of the set; FIFO the oldest fill", () => {
    for (const policy of ["lru", "fifo"] as const) {
      const t = new Tlb({ entries: 4, ways: 2, policy });
      const sink = new CollectingSink<HwEvent>();
      t.sink = sink;
      t.fill(0, 1, 10, V); // set 0
      t.fill(2, 1, 12, V); // set 0
      t.touch(t.lookup(0, 1));
      t.fill(4, 1, 14, V); // set 0, evicts
      const evicted = sink.events.find((e) => e.kind === "tlb-evict");
      expect(evicted && "vpn" in evicted ? evicted.vpn : null).toBe(policy === "lru" ? 2 : 0);
      expect(t.evictions).toBe(1);
      expect(t.lookup(1, 1)).toBe(TLB_MISS);
    }
  });

  it("refuses bad shapes with a sentence", () => {
    expect(checkTlbConfig({ entries: 12, ways: 4 })).toBe(
      "12 entries in 4 ways make 3 sets, not a power of two",
    );
    expect(checkTlbConfig({ entries: 8, ways: 3 })).toMatch(/do not divide/);
    expect(checkTlbConfig({ entries: 0 })).toMatch(/1 to 65536/);
    expect(checkTlbConfig({ entries: 8, policy: "mru" as TlbPolicy })).toMatch(/unknown TLB replacement/);
    expect(() => new Tlb({ entries: 12, ways: 4 })).toThrow(/power of two/);
  });
});

/** A plainly written TLB for comparison: arrays of sets, linear search. */
class RefTlb {
  sets: { vpn: number; tag: number; pfn: number; stamp: number }[][];
  clock = 0;
  rng: FastRng;
  constructor(readonly c: Required<TlbConfig>) {
    this.sets = Array.from({ length: c.entries / c.ways }, () => []);
    this.rng = new FastRng(c.seed);
  }
  setOf(vpn: number) {
    return this.sets[vpn & (this.sets.length - 1)]!;
  }
  lookup(vpn: number, asid: number) {
    const set = this.setOf(vpn);
    return set.find((e) => e.vpn === vpn && e.tag === asid) ?? set.find((e) => e.vpn === vpn && e.tag === -1);
  }
  touch(vpn: number, asid: number) {
    const e = this.lookup(vpn, asid);
    if (e && this.c.policy === "lru") e.stamp = ++this.clock;
    return e;
  }
  fill(vpn: number, asid: number, pfn: number, global: boolean) {
    const tag = global ? -1 : asid;
    const set = this.setOf(vpn);
    const same = set.find((e) => e.vpn === vpn && e.tag === tag);
    if (same) {
      same.pfn = pfn;
      same.stamp = ++this.clock;
      return;
    }
    if (set.length === this.c.ways) {
      // Mirror the slot order of the real TLB: entries keep their way positions.
      let victim: number;
      if (this.c.policy === "random") victim = this.rng.below(this.c.ways);
      else {
        victim = 0;
        for (let i = 1; i < set.length; i++) if (set[i]!.stamp < set[victim]!.stamp) victim = i;
      }
      set[victim] = { vpn, tag, pfn, stamp: ++this.clock };
      return;
    }
    set.push({ vpn, tag, pfn, stamp: ++this.clock });
  }
}

describe("Tlb against a plain reference", () => {
  it("same hits and translations for random fill/lookup sequences", () => {
    const op = fc.record({
      fill: fc.boolean(),
      vpn: fc.integer({ min: 0, max: 40 }),
      asid: fc.integer({ min: 0, max: 2 }),
      global: fc.integer({ min: 0, max: 9 }).map((g) => g === 0),
    });
    fc.assert(
      fc.property(
        fc.constantFrom<[number, number]>([8, 8], [8, 2], [16, 4], [4, 1], [32, 32]),
        fc.constantFrom<TlbPolicy>("lru", "fifo", "random"),
        fc.array(op, { maxLength: 300 }),
        ([entries, ways], policy, ops) => {
          const c = { entries, ways, policy, asidMode: "tagged" as const, seed: 7 };
          const t = new Tlb(c);
          const r = new RefTlb(c);
          // Page numbers mapped global (kernel pages) and per address space (user pages): a
          // kernel never maps one page number both ways, so neither may the trace.
          const kernelVpns = new Set<number>();
          const userVpns = new Set<number>();
          for (const o of ops) {
            if (o.fill) {
              // Fill only misses, as the MMU does (a hit never refills); globals only for
              // pages no ASID holds, as a kernel keeps them.
              if ((o.global ? userVpns : kernelVpns).has(o.vpn)) continue;
              (o.global ? kernelVpns : userVpns).add(o.vpn);
              if (t.lookup(o.vpn, o.asid) !== TLB_MISS) continue;
              t.fill(o.vpn, o.asid, o.vpn * 10 + o.asid, V | (o.global ? PTE_GLOBAL : 0));
              r.fill(o.vpn, o.asid, o.vpn * 10 + o.asid, o.global);
            } else {
              const s = t.lookup(o.vpn, o.asid);
              const e = r.touch(o.vpn, o.asid);
              if (s !== TLB_MISS) t.touch(s);
              expect(s === TLB_MISS ? undefined : t.pfn[s]).toBe(e?.pfn);
            }
          }
          expect(t.occupancy()).toBe(r.sets.reduce((a, s) => a + s.length, 0));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the hash index stays consistent under fills, invlpg and flushes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 200 })), {
          maxLength: 400,
        }),
        (ops) => {
          const t = new Tlb({ entries: 16, ways: 16 });
          const model = new Map<number, number>();
          for (const [kind, vpn] of ops) {
            if (kind <= 1) {
              t.fill(vpn, 1, vpn + 1, V);
              model.set(vpn, vpn + 1);
            } else if (kind === 2) {
              t.invlpg(1, vpn);
              model.delete(vpn);
            } else if (vpn === 0) {
              t.flushAll();
              model.clear();
            }
            // Every entry the TLB finds agrees with the last fill; entries it holds are found.
            for (let s = 0; s < t.entries; s++) if (t.flags[s] !== 0) expect(t.lookup(t.vpn[s]!, 1)).toBe(s);
            for (const [v, p] of model) {
              const s = t.lookup(v, 1);
              if (s !== TLB_MISS) expect(t.pfn[s]).toBe(p);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("save/load keeps contents, replacement order and the random generator", () => {
    const t = new Tlb({ entries: 8, ways: 2, policy: "random", seed: 3 });
    for (let v = 0; v < 20; v++) t.fill(v, 1, v, V);
    const s = t.save();
    const after = () => {
      const out: number[] = [];
      for (let v = 20; v < 40; v++) out.push(t.fill(v, 1, v, V));
      return out;
    };
    const a = after();
    t.load(s);
    expect(after()).toEqual(a);
  });
});

describe("Tlb events", () => {
  it("fill, evict and each kind of flush are reported with what they removed", () => {
    const t = new Tlb({ entries: 2, ways: 2 });
    const sink = new CollectingSink<HwEvent>();
    t.sink = sink;
    t.fill(1, 3, 10, V);
    t.fill(2, 3, 20, V | PTE_GLOBAL);
    t.fill(4, 3, 40, V);
    t.invlpg(3, 4);
    t.fill(5, 7, 50, V);
    t.flushAsid(7);
    t.flushNonGlobal();
    t.flushAll();
    expect(sink.events).toEqual([
      { kind: "tlb-fill", asid: 3, vpn: 1, pfn: 10, flags: V, slot: 0, global: false },
      { kind: "tlb-fill", asid: 3, vpn: 2, pfn: 20, flags: V | PTE_GLOBAL, slot: 1, global: true },
      { kind: "tlb-evict", asid: 3, vpn: 1, pfn: 10, slot: 0, global: false },
      { kind: "tlb-fill", asid: 3, vpn: 4, pfn: 40, flags: V, slot: 0, global: false },
      { kind: "tlb-flush", scope: "page", asid: 3, vpn: 4, entries: 1 },
      { kind: "tlb-fill", asid: 7, vpn: 5, pfn: 50, flags: V, slot: 0, global: false },
      { kind: "tlb-flush", scope: "asid", asid: 7, vpn: null, entries: 1 },
      { kind: "tlb-flush", scope: "non-global", asid: null, vpn: null, entries: 0 },
      { kind: "tlb-flush", scope: "all", asid: null, vpn: null, entries: 1 },
    ]);
    expect([t.evictions, t.flushes, t.invalidations]).toEqual([1, 3, 1]);
  });
});
