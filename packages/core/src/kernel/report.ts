/**
 * The run report: per-process state and faults, memory, TLB and paging counters, as one
 * JSON-ready object. Sizes are in pages unless the key ends in `_kb`. Scenario `expect`
 * lines address it by dotted paths such as `A.faults.cow` or `memory.free_frames`.
 */
import { FRAME_PAGE_TABLE } from "../hw/frames.js";
import type { Machine } from "./machine.js";
import { pssPages } from "./procfs.js";

export interface ProcessReport {
  readonly pid: number;
  readonly state: string;
  /** The fatal signal (`SIGSEGV`, `SIGKILL`), or null. */
  readonly signal: string | null;
  /** Why it was killed, or null. */
  readonly reason: string | null;
  readonly exit_code: number | null;
  /** Mapped address space, in pages (VmSize / page size). */
  readonly vsz: number;
  /** Resident pages (VmRSS). */
  readonly rss: number;
  readonly rss_anon: number;
  readonly rss_file: number;
  readonly rss_shmem: number;
  /** Proportional set size in pages (shared pages divided among their sharers). */
  readonly pss: number;
  /** Pages in swap (VmSwap). */
  readonly swap: number;
  /** Peak resident pages (VmHWM). */
  readonly hwm: number;
  readonly vsz_kb: number;
  readonly rss_kb: number;
  readonly swap_kb: number;
  /** Translations requested (one per page an access touched). */
  readonly accesses: number;
  readonly brk: number;
  readonly faults: {
    readonly minor: number;
    readonly major: number;
    readonly cow: number;
    readonly stack_growth: number;
    readonly segv: number;
    readonly total: number;
  };
}

export interface MachineReport {
  readonly processes: Record<string, ProcessReport>;
  readonly memory: {
    readonly frames: number;
    readonly free_frames: number;
    readonly used_frames: number;
    readonly page_table_frames: number;
    readonly page_size: number;
    readonly swap_slots: number;
    readonly swap_free: number;
    readonly swap_used: number;
    readonly watermarks: { readonly min: number; readonly low: number; readonly high: number };
  };
  readonly tlb: {
    readonly entries: number;
    readonly hits: number;
    readonly misses: number;
    readonly flushes: number;
    readonly invalidations: number;
    readonly hit_rate: number;
  };
  readonly paging: {
    readonly policy: string;
    readonly faults: number;
    readonly major_faults: number;
    readonly zero_fills: number;
    readonly cow_copies: number;
    readonly cow_reuses: number;
    readonly evictions: number;
    readonly swap_outs: number;
    readonly swap_ins: number;
    readonly file_drops: number;
    readonly oom_kills: number;
    readonly kswapd_runs: number;
    readonly kswapd_reclaimed: number;
    readonly direct_reclaims: number;
    readonly thrashing_episodes: number;
    readonly thrashing: boolean;
    readonly accesses: number;
  };
}

/** The report of `m` now; processes keyed by `nameOf(pid)` (default: the process name). */
export function machineReport(
  m: Machine,
  nameOf: (pid: number) => string = (pid) => m.process(pid)?.name ?? String(pid),
): MachineReport {
  const k = m.kernel;
  const ps = m.pageSize;
  const processes: Record<string, ProcessReport> = {};
  for (const p of m.processes()) {
    const f = p.faults;
    processes[nameOf(p.pid)] = {
      pid: p.pid,
      state: p.state,
      signal: p.signal,
      reason: p.reason,
      exit_code: p.exitCode,
      vsz: p.vmSize() / ps,
      rss: p.rssPages(),
      rss_anon: p.rss.anon,
      rss_file: p.rss.file,
      rss_shmem: p.rss.shmem,
      pss: Math.round(pssPages(k, p) * 100) / 100,
      swap: p.rss.swap,
      hwm: p.hwm,
      vsz_kb: Math.floor(p.vmSize() / 1024),
      rss_kb: Math.floor((p.rssPages() * ps) / 1024),
      swap_kb: Math.floor((p.rss.swap * ps) / 1024),
      accesses: p.accesses,
      brk: p.brk,
      faults: {
        minor: f.minor,
        major: f.major,
        cow: f.cow,
        stack_growth: f.stackGrowth,
        segv: f.segv,
        total: f.minor + f.major + f.cow + f.stackGrowth + f.segv,
      },
    };
  }
  const frames = m.config.frames;
  const free = k.freeFrames();
  const swap = k.s.swap;
  const tlb = m.hw.tlb;
  const c = k.s.counters;
  const lookups = tlb.hits + tlb.misses;
  return {
    processes,
    memory: {
      frames,
      free_frames: free,
      used_frames: frames - free,
      page_table_frames: m.hw.mem.frameTable.countUse(FRAME_PAGE_TABLE),
      page_size: ps,
      swap_slots: swap.slots,
      swap_free: swap.freeCount(),
      swap_used: swap.usedCount(),
      watermarks: { ...m.config.watermarks },
    },
    tlb: {
      entries: tlb.entries,
      hits: tlb.hits,
      misses: tlb.misses,
      flushes: tlb.flushes,
      invalidations: tlb.invalidations,
      hit_rate: lookups === 0 ? 0 : Math.round((tlb.hits / lookups) * 10000) / 10000,
    },
    paging: {
      policy: k.s.policy.name,
      faults: c.pgfault,
      major_faults: c.pgmajfault,
      zero_fills: c.zeroFills,
      cow_copies: c.cowCopies,
      cow_reuses: c.cowReuses,
      evictions: c.evictions,
      swap_outs: c.swapOuts,
      swap_ins: c.swapIns,
      file_drops: c.drops,
      oom_kills: c.oomKills,
      kswapd_runs: c.kswapdRuns,
      kswapd_reclaimed: c.kswapdReclaimed,
      direct_reclaims: c.directReclaims,
      thrashing_episodes: c.thrashingEpisodes,
      thrashing: k.s.thrashing,
      accesses: k.s.tick,
    },
  };
}
