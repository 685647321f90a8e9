/**
 * Replays a recorded allocation log (`MallocTrace`) through one allocator policy over a
 * standalone arena and measures it: operations, peak live bytes, peak footprint,
 * Johnstone and Wilson's fragmentation, mean free-list search length and, when the caller
 * supplies a clock, operations per second. realloc follows glibc (in place when it can);
 * calloc zeroes; aligned requests over-allocate by the alignment.
 */
import {
  type MallocTrace,
  MOP_CALLOC,
  MOP_FAILED,
  MOP_FREE,
  MOP_MALLOC,
  MOP_MEMALIGN,
  MOP_REALLOC,
  MOP_USABLE,
} from "../trace/malloc-trace.js";
import type { HeapAllocator, HeapOptions } from "./allocator.js";
import { ArenaBacking } from "./backing.js";
import { type Fragmentation, FragmentationMeter } from "./fragmentation.js";
import { createAllocator } from "./registry.js";

export interface ReplayResult {
  readonly policy: string;
  readonly pid: number;
  readonly operations: number;
  readonly mallocs: number;
  readonly frees: number;
  readonly reallocs: number;
  /** Allocations that failed in the traced program (not replayed). */
  readonly failedInTrace: number;
  /** Allocations this policy could not serve. */
  readonly failed: number;
  readonly peakLiveBytes: number;
  readonly peakFootprint: number;
  readonly fragmentation: Fragmentation;
  readonly meanSearchLength: number;
  readonly sbrkCalls: number;
  readonly mmapCalls: number;
  /** Wall time of the replay in seconds and the rate, when a clock was given. */
  readonly seconds?: number;
  readonly opsPerSecond?: number;
}

export interface ReplayOptions {
  readonly heap?: HeapOptions;
  /** Milliseconds from some origin, supplied by the caller (the CLI passes its high-resolution clock); core reads no clock itself. */
  readonly clock?: () => number;
}

/** Replays `trace` with policy `policy`. Returns undefined for an unknown policy name. */
export function replayMallocTrace(
  trace: MallocTrace,
  policy: string,
  opts: ReplayOptions = {},
): ReplayResult | undefined {
  const backing = new ArenaBacking({ maxHeap: 2 ** 31 });
  const a = createAllocator(policy, backing, opts.heap ?? {});
  if (!a) return undefined;
  const t0 = opts.clock?.();
  const r = run(trace, a, backing);
  const t1 = opts.clock?.();
  const seconds = t0 !== undefined && t1 !== undefined ? (t1 - t0) / 1000 : undefined;
  const base = {
    policy,
    pid: trace.pid,
    ...r,
    meanSearchLength: a.stats.mallocs > 0 ? a.stats.searchSteps / a.stats.mallocs : 0,
    sbrkCalls: a.stats.sbrkCalls,
    mmapCalls: a.stats.mmapCalls,
  };
  if (seconds === undefined) return base;
  return { ...base, seconds, opsPerSecond: seconds > 0 ? trace.length / seconds : Number.POSITIVE_INFINITY };
}

function run(trace: MallocTrace, a: HeapAllocator, m: ArenaBacking) {
  const addr = new Float64Array(trace.slots);
  const bytes = new Float64Array(trace.slots);
  const meter = new FragmentationMeter();
  const { kind, slot, slot2, size, align } = trace;
  let live = 0;
  let mallocs = 0;
  let frees = 0;
  let reallocs = 0;
  let failedInTrace = 0;
  let failed = 0;
  const take = (s: number, p: number, n: number) => {
    if (p === 0) failed++;
    addr[s] = p;
    bytes[s] = p === 0 ? 0 : n;
    live += bytes[s]!;
  };
  const drop = (s: number) => {
    const p = addr[s]!;
    if (p === 0) return;
    a.free(p);
    live -= bytes[s]!;
    addr[s] = 0;
  };
  for (let i = 0; i < trace.length; i++) {
    const k = kind[i]!;
    const s = slot[i]!;
    if (k === MOP_MALLOC || k === MOP_CALLOC) {
      mallocs++;
      const n = size[i]!;
      const p = a.malloc(n);
      if (k === MOP_CALLOC && p !== 0) m.fill(p, n, 0);
      take(s, p, n);
    } else if (k === MOP_FREE) {
      frees++;
      if (s >= 0) drop(s);
    } else if (k === MOP_REALLOC) {
      reallocs++;
      live += reallocSlot(a, m, addr, bytes, s, slot2[i]!, size[i]!);
      if (slot2[i]! >= 0 && addr[slot2[i]!] === 0) failed++;
    } else if (k === MOP_MEMALIGN) {
      mallocs++;
      const al = align[i]!;
      take(s, a.malloc(size[i]! + (al > 16 ? al : 0)), size[i]!);
    } else if (k === MOP_USABLE) {
      if (s >= 0 && addr[s] !== 0) a.usableSize(addr[s]!);
    } else if (k === MOP_FAILED) failedInTrace++;
    meter.sample(live, a.footprint());
  }
  return {
    operations: trace.length,
    mallocs,
    frees,
    reallocs,
    failedInTrace,
    failed,
    peakLiveBytes: meter.maxLive,
    peakFootprint: meter.maxUsed,
    fragmentation: meter.measures(),
  };
}

/** One realloc of the log; returns the change in live bytes. */
function reallocSlot(
  a: HeapAllocator,
  m: ArenaBacking,
  addr: Float64Array,
  bytes: Float64Array,
  from: number,
  to: number,
  n: number,
): number {
  const p = from >= 0 ? addr[from]! : 0;
  const old = from >= 0 ? bytes[from]! : 0;
  if (from >= 0) {
    addr[from] = 0;
    bytes[from] = 0;
  }
  if (to < 0) {
    if (p !== 0) a.free(p);
    return -old;
  }
  let q = 0;
  if (p !== 0 && a.resize(p, n)) q = p;
  else {
    q = a.malloc(n);
    if (p !== 0 && q !== 0) {
      m.copy(q, p, Math.min(old, n));
      a.free(p);
    } else if (p !== 0) a.free(p);
  }
  addr[to] = q;
  bytes[to] = q === 0 ? 0 : n;
  return bytes[to]! - old;
}
