/**
 * Hardware layer speed: MMU translations per second on the TLB-hit path and on the
 * TLB-miss path (a full 4-level x86-64 walk reading real entries, A-bit check, TLB fill
 * with eviction). Both use `translateFast`, which allocates nothing per access.
 */
import {
  type AddressSpace,
  asAsid,
  createAddressSpace,
  createHardware,
  FAULT,
  type Hardware,
  Memblock,
  mapPage,
  PTE_READ,
  PTE_USER,
  PTE_WRITE,
} from "@memsim/core";
import { type BenchRow, type BenchSuite, opsPerSecond } from "./lib.js";

const RW = PTE_READ | PTE_WRITE | PTE_USER;

function machine(
  frames: number,
  tlbEntries: number,
  ways: number,
): { hw: Hardware; space: AddressSpace; mb: Memblock } {
  const r = createHardware({ format: "x86-64", frames, tlb: { entries: tlbEntries, ways, policy: "lru" } });
  if (!r.ok) throw new Error(r.problem);
  const hw = r.value;
  const mb = new Memblock(hw.mem);
  const space = createAddressSpace(hw.mem, hw.format, asAsid(1), mb.tableAlloc);
  if (!space) throw new Error("no memory for the root table");
  return { hw, space, mb };
}

/** Maps `pages` pages spread over the address space (so walks touch different tables). */
function mapPages(m: ReturnType<typeof machine>, pages: number, stride: number): Float64Array {
  const vas = new Float64Array(pages);
  for (let i = 0; i < pages; i++) {
    const va = 0x1000_0000 + i * stride * 4096;
    const pfn = m.mb.alloc(1);
    if (pfn === null || mapPage(m.hw.mem, m.space, va, pfn, RW, m.mb.tableAlloc) !== "ok")
      throw new Error("out of frames");
    vas[i] = va + (i % 4096);
  }
  return vas;
}

function loop(m: ReturnType<typeof machine>, vas: Float64Array, n: number, order: Int32Array): () => void {
  const mmu = m.hw.mmu;
  const space = m.space;
  return () => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const pa = mmu.translateFast(
        space,
        vas[order[i & (order.length - 1)]!]!,
        i & 7 ? "read" : "write",
        "user",
      );
      if (pa === FAULT) throw new Error("unexpected fault");
      sum += pa;
    }
    if (sum < 0) throw new Error("unreachable");
  };
}

/** A pseudo-random visiting order of length 2^k over `count` items. */
function order(count: number, length: number): Int32Array {
  const o = new Int32Array(length);
  let x = 12345;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    o[i] = (x >>> 8) % count;
  }
  return o;
}

export const suite: BenchSuite = {
  name: "hw",
  description: "MMU translations/s: TLB hits and full 4-level page walks (x86-64)",
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const N = 1 << 20;

    // TLB hits: 48 pages resident in a 64-entry 4-way TLB, visited in random order.
    const hit = machine(1024, 64, 4);
    const hitVas = mapPages(hit, 48, 1);
    const hitLoop = loop(hit, hitVas, N, order(48, 1 << 12));
    hitLoop();
    hit.hw.tlb.resetCounters();
    const hitRate = opsPerSecond(N, hitLoop, 400, 5);
    const missesOnHitPath = hit.hw.tlb.misses;
    rows.push({
      case: "translate, TLB hit (64-entry 4-way, 48 pages)",
      value: hitRate,
      unit: "translations/s",
      target: 50e6,
      note: `misses during the run: ${missesOnHitPath}`,
    });

    // Full walks: 8192 pages spread over 16 level-1 tables, a 16-entry TLB: every access
    // misses and walks 4 levels, then fills the TLB (evicting).
    const walk = machine(16384, 16, 4);
    const walkVas = mapPages(walk, 8192, 3);
    const walkLoop = loop(walk, walkVas, N, order(8192, 1 << 16));
    walkLoop();
    walk.hw.tlb.resetCounters();
    const walksBefore = walk.hw.mmu.walks;
    const walkRate = opsPerSecond(N, walkLoop, 400, 5);
    const t = walk.hw.tlb;
    const missRatio = t.misses / (t.hits + t.misses);
    rows.push({
      case: "translate, TLB miss + 4-level walk + fill",
      value: walkRate,
      unit: "translations/s",
      target: 10e6,
      note: `miss ratio ${missRatio.toFixed(4)}, walks ${walk.hw.mmu.walks - walksBefore}`,
    });

    // The tagged-union API on the hit path, for comparison (one small object per call).
    const taggedRate = opsPerSecond(
      N,
      () => {
        let sum = 0;
        const o = order(48, 1 << 12);
        for (let i = 0; i < N; i++) {
          const r = hit.hw.mmu.translate(hit.space, hitVas[o[i & 4095]!]!, "read", "user");
          if (r.kind === "ok") sum += r.pa;
        }
        if (sum < 0) throw new Error("unreachable");
      },
      400,
      3,
    );
    rows.push({ case: "translate (tagged result), TLB hit", value: taggedRate, unit: "translations/s" });
    return rows;
  },
};
