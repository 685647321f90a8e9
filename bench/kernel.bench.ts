/**
 * The whole kernel path: `Machine.touch` (context check, MMU translation through the TLB
 * and page tables, fault handling, the replacement policy's hit hook, kswapd check) per
 * access, with no event sink attached.
 * - warm TLB: a working set of 8 pages in a 16-entry TLB, every access a TLB hit. The
 *   bare MMU (`translateFast` on the same space) is measured beside it as the peer, so
 *   the ratio is the kernel's overhead on the hit path.
 * - working set twice RAM: 512 heap pages swept on 256 frames, every access a major
 *   fault (swap-in) with an eviction (swap-out) elsewhere: steady swapping.
 */
import { createMachine, FAULT, type Machine } from "@memsim/core";
import { type BenchRow, type BenchSuite, opsPerSecond } from "./lib.js";

function boot(frames: number, policy: string, heapPages: number): { m: Machine; pid: number; heap: number } {
  const r = createMachine({ frames, policy, swapSlots: frames * 4, tlbEntries: 16, tlbWays: 4 });
  if (!r.ok) throw new Error(r.problem);
  const m = r.machine;
  const s = m.spawn("A", { text: 8192, data: 4096, bss: 4096, stack: 65536 });
  if (!s.ok) throw new Error(s.error);
  const heap = m.process(s.value)?.layout.heapStart ?? 0;
  const b = m.brk(s.value, heap + heapPages * 4096);
  if (!b.ok) throw new Error(b.error);
  return { m, pid: s.value, heap };
}

function warmTlb(): BenchRow[] {
  const { m, pid, heap } = boot(256, "clock", 8);
  const N = 1 << 20;
  const vas = Float64Array.from({ length: 8 }, (_, i) => heap + i * 4096 + ((i * 40) % 4096));
  for (const va of vas) if (!m.touch(pid, va, "write")) throw new Error("setup fault");
  const kernel = opsPerSecond(
    N,
    () => {
      for (let i = 0; i < N; i++)
        if (!m.touch(pid, vas[i & 7] as number, i & 3 ? "read" : "write")) throw new Error("died");
    },
    400,
    5,
  );
  const space = m.process(pid)?.space;
  if (!space) throw new Error("no space");
  const mmu = m.hw.mmu;
  const bare = opsPerSecond(
    N,
    () => {
      let sum = 0;
      for (let i = 0; i < N; i++) {
        const pa = mmu.translateFast(space, vas[i & 7] as number, i & 3 ? "read" : "write", "user");
        if (pa === FAULT) throw new Error("fault");
        sum += pa;
      }
      if (sum < 0) throw new Error("unreachable");
    },
    400,
    5,
  );
  if (m.check().length > 0) throw new Error(m.check().join("\n"));
  return [
    {
      case: "kernel access, warm TLB (8 pages, 16-entry TLB)",
      value: kernel,
      unit: "accesses/s",
      peer: { name: "bare MMU translateFast", value: bare },
      note: `TLB hit rate ${(m.hw.tlb.hits / (m.hw.tlb.hits + m.hw.tlb.misses)).toFixed(4)}`,
    },
  ];
}

function swapping(policy: string): BenchRow {
  const frames = 256;
  const pages = 2 * frames;
  const { m, pid, heap } = boot(frames, policy, pages);
  let next = 0;
  const sweep = (n: number) => {
    for (let i = 0; i < n; i++) {
      if (!m.touch(pid, heap + next * 4096, "write")) throw new Error("died");
      next = next + 1 === pages ? 0 : next + 1;
    }
  };
  sweep(pages * 2);
  const c = m.kernel.s.counters;
  const majors = c.pgmajfault;
  const outs = c.swapOuts;
  const t0 = m.kernel.s.tick;
  const rate = opsPerSecond(4096, () => sweep(4096), 400, 3);
  const n = m.kernel.s.tick - t0;
  if (m.check().length > 0) throw new Error(m.check().join("\n"));
  return {
    case: `kernel access, working set 2x RAM (${pages} pages on ${frames} frames, ${policy})`,
    value: rate,
    unit: "accesses/s",
    note: `major faults per access ${((c.pgmajfault - majors) / n).toFixed(3)}, swap-outs per access ${((c.swapOuts - outs) / n).toFixed(3)}`,
  };
}

export const suite: BenchSuite = {
  name: "kernel",
  description:
    "accesses/s through the whole kernel path: warm TLB, and steady swapping with a working set twice RAM",
  async run(): Promise<BenchRow[]> {
    return [...warmTlb(), swapping("clock"), swapping("lru"), swapping("fifo")];
  },
};
