/**
 * Hardware layer speed: MMU translations per second on the TLB-hit path and on the
 * TLB-miss path (a full 4-level x86-64 walk reading real entries, A-bit check, TLB fill
 * with eviction). Both use `translateFast`, which allocates nothing per access.
 *
 * The machine is shared, so each figure is computed from the CPU time this process used
 * (`process.cpuUsage`), best of several rounds; the wall-clock rate and the load average
 * at the time go into the note.
 */
import { loadavg } from "node:os";
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
import type { BenchRow, BenchSuite } from "./lib.js";

interface Rate {
  readonly cpu: number;
  readonly wall: number;
}

/** Best ops/s over `rounds` rounds of at least `minMs` CPU time each, after a warm-up call. */
function measure(opsPerCall: number, fn: () => void, minMs = 400, rounds = 5): Rate {
  fn();
  let cpu = 0;
  let wall = 0;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let calls = 0;
    let used = 0;
    do {
      fn();
      calls++;
      const c = process.cpuUsage(c0);
      used = (c.user + c.system) / 1000;
    } while (used < minMs);
    cpu = Math.max(cpu, (calls * opsPerCall * 1000) / used);
    wall = Math.max(wall, (calls * opsPerCall * 1000) / (performance.now() - t0));
  }
  return { cpu, wall };
}

function note(r: Rate, extra: string): string {
  const load = loadavg()[0]?.toFixed(1) ?? "?";
  return `CPU-time rate; wall-clock ${(r.wall / 1e6).toFixed(1)}M/s at load average ${load}; ${extra}`;
}

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
    const hitRate = measure(N, hitLoop);
    rows.push({
      case: "translate, TLB hit (64-entry 4-way, 48 pages)",
      value: hitRate.cpu,
      unit: "translations/s",
      target: 50e6,
      note: note(hitRate, `TLB misses during the run: ${hit.hw.tlb.misses}`),
    });

    // Full walks: every access misses a 16-entry TLB and walks 4 levels, then fills the
    // TLB (evicting). Once with 8192 pages over 48 leaf tables (192 KiB of leaf entries),
    // once with 512 pages in one leaf table (the tables stay in the host's L1 cache).
    for (const [pages, stride] of [
      [8192, 3],
      [512, 1],
    ] as const) {
      const walk = machine(16384, 16, 4);
      const walkVas = mapPages(walk, pages, stride);
      const walkLoop = loop(walk, walkVas, N, order(pages, 1 << 16));
      walkLoop();
      walk.hw.tlb.resetCounters();
      const walkRate = measure(N, walkLoop);
      const t = walk.hw.tlb;
      const missRatio = t.misses / (t.hits + t.misses);
      rows.push({
        case: `translate, TLB miss + 4-level walk + fill (${pages} pages)`,
        value: walkRate.cpu,
        unit: "translations/s",
        target: 10e6,
        note: note(walkRate, `TLB miss ratio ${missRatio.toFixed(4)}`),
      });
    }

    // The tagged-union API on the hit path, for comparison (one small object per call).
    const o = order(48, 1 << 12);
    const taggedRate = measure(N, () => {
      let sum = 0;
      for (let i = 0; i < N; i++) {
        const r = hit.hw.mmu.translate(hit.space, hitVas[o[i & 4095]!]!, "read", "user");
        if (r.kind === "ok") sum += r.pa;
      }
      if (sum < 0) throw new Error("unreachable");
    });
    rows.push({
      case: "translate (tagged result), TLB hit",
      value: taggedRate.cpu,
      unit: "translations/s",
      note: note(taggedRate, "allocates one result object per call"),
    });
    return rows;
  },
};
