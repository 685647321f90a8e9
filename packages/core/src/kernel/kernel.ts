/**
 * The kernel's memory-management core: the state every part of the kernel shares and the
 * page-level primitives the fault handler and the system calls are built from.
 *
 * - Frames come from the frame allocator. Below the `min` watermark an allocation first
 *   reclaims directly; below `low` it wakes kswapd, which reclaims until `high`
 *   (Linux's zone watermarks). When nothing can be reclaimed the OOM killer runs.
 * - Every user page is known to the replacement policy (slot = pfn); reclaim asks the
 *   policy for a victim, and the kernel evicts it: anonymous pages go to a swap slot that
 *   the non-present PTEs record, clean file pages are dropped, shm pages go to swap and
 *   their segment remembers the slot.
 * - A reverse map (pfn -> the PTEs mapping it) lets eviction and COW find every sharer;
 *   the frame table's map count always equals the reverse map's length.
 */
import type { EventSink } from "../base/index.js";
import { asSwapSlot, invariant, type Pfn, type PhysAddr, type SwapSlot } from "../base/index.js";
import { pteClear, pteRead } from "../hw/entry.js";
import { FRAME_ANON, FRAME_FILE, FRAME_HEAP, FRAME_SHARED } from "../hw/frames.js";
import type { Hardware } from "../hw/hardware.js";
import type { AddressSpace, TableAlloc, TableFree } from "../hw/pagetable.js";
import { findPte } from "../hw/pagetable.js";
import { PTE_VALID } from "../hw/pte.js";
import { isExpiring, type ReplacementPolicy } from "../replacement/policy.js";
import type { KernelEvent, PageKind } from "./events.js";
import type { BackingFile } from "./files.js";
import type { FrameAllocator } from "./frame-allocator.js";
import type { Process } from "./process.js";
import { expireWorkingSet, noteMajorFault, oomKill, reclaimPages, runKswapd } from "./reclaim.js";
import type { ShmSegment } from "./shm.js";
import type { SwapSpace } from "./swap.js";

/** Free-frame watermarks, in frames. */
export interface Watermarks {
  readonly min: number;
  readonly low: number;
  readonly high: number;
}

/**
 * One PTE mapping a frame: which process, which page (page-aligned virtual address), and
 * the physical address of the entry itself (table pages stay put until the process
 * exits, so eviction can rewrite the entry without walking again).
 */
export interface RmapEntry {
  readonly pid: number;
  readonly va: number;
  readonly pte: number;
}

/** Machine-wide counters (the report's memory and vmstat figures). */
export interface KernelCounters {
  pgfault: number;
  pgmajfault: number;
  zeroFills: number;
  cowCopies: number;
  cowReuses: number;
  evictions: number;
  swapOuts: number;
  swapIns: number;
  drops: number;
  oomKills: number;
  kswapdRuns: number;
  kswapdReclaimed: number;
  directReclaims: number;
  thrashingEpisodes: number;
}

/** Thrashing: this many major faults within `THRASH_WINDOW` translations. */
export const THRASH_FAULTS = 16;
export const THRASH_WINDOW = 32;

/**
 * Everything the kernel changes while running, in one object so a snapshot is one deep
 * copy (see clone.ts). Per-frame facts live in arrays indexed by pfn.
 */
export class KernelState {
  readonly procs = new Map<number, Process>();
  nextPid = 1;
  readonly files: BackingFile[] = [];
  readonly libs = new Map<string, number>();
  /** Page cache: (file id, page index) key -> pfn. */
  readonly pageCache = new Map<number, number>();
  readonly shm = new Map<string, ShmSegment>();
  readonly shmById = new Map<number, ShmSegment>();
  nextShmId = 1;
  /** Per pfn: page-cache key of a file page, else -1. */
  readonly cacheKey: Float64Array;
  /** Per pfn: shm segment id and page index of a shm page, else -1. */
  readonly shmSeg: Int32Array;
  readonly shmIdx: Int32Array;
  /** Per pfn: the PTEs mapping it. */
  readonly rmap: RmapEntry[][];
  /** Per pfn: 1 while the replacement policy holds it. */
  readonly tracked: Uint8Array;
  trackedCount = 0;
  /** The policy's logical time: references it has been told of (each onHit and onInsert). */
  policyTime = 0;
  /** Whether the policy releases pages on its own (`Expiring`: Working Set). */
  readonly expiring: boolean;
  /** Pid whose address space is loaded (0 = none yet). */
  current = 0;
  /** Logical time: translations done. */
  tick = 0;
  kswapdWake = false;
  /** Ticks of the last THRASH_FAULTS major faults (ring). */
  readonly majorRing: Float64Array = new Float64Array(THRASH_FAULTS).fill(-1e18);
  majorPos = 0;
  thrashing = false;
  readonly counters: KernelCounters = {
    pgfault: 0,
    pgmajfault: 0,
    zeroFills: 0,
    cowCopies: 0,
    cowReuses: 0,
    evictions: 0,
    swapOuts: 0,
    swapIns: 0,
    drops: 0,
    oomKills: 0,
    kswapdRuns: 0,
    kswapdReclaimed: 0,
    directReclaims: 0,
    thrashingEpisodes: 0,
  };

  constructor(
    frames: number,
    readonly allocator: FrameAllocator,
    readonly swap: SwapSpace,
    public policy: ReplacementPolicy,
  ) {
    this.cacheKey = new Float64Array(frames).fill(-1);
    this.shmSeg = new Int32Array(frames).fill(-1);
    this.shmIdx = new Int32Array(frames).fill(-1);
    this.rmap = Array.from({ length: frames }, () => []);
    this.tracked = new Uint8Array(frames);
    this.expiring = isExpiring(policy);
  }
}

/** Key of a file page in the page cache. */
export function cacheKeyOf(file: number, page: number): number {
  return file * 2 ** 24 + page;
}

/** What `kill` is for: let the process layer tear a process down (set by the Machine). */
export type KillHook = (proc: Process, signal: string, reason: string) => void;

export class Kernel {
  readonly pageSize: number;
  readonly pageShift: number;
  sink: EventSink<KernelEvent> | null = null;
  /** The process whose page tables are being built or torn down (for pt-alloc/pt-free events). */
  tableOwner = 0;
  /** Tears a process down; installed by the process layer (exit.ts). */
  kill: KillHook = () => {
    invariant(false, "kernel.kill", "Kernel: no kill hook installed");
  };
  /** Table-page allocator for the hardware walk: reclaims, never runs the OOM killer. */
  readonly tableAlloc: TableAlloc;
  readonly tableFree: TableFree;

  constructor(
    readonly hw: Hardware,
    public s: KernelState,
    readonly wmark: Watermarks,
    readonly kswapdEnabled: boolean,
    /** Stack guard gap in bytes (undefined: the layout's default). */
    readonly guardGap: number | undefined,
  ) {
    this.pageSize = hw.format.pageSize;
    this.pageShift = hw.format.pageShift;
    this.tableAlloc = (n) => this.allocTableFrames(n);
    this.tableFree = (pfn, n) => this.freeTableFrames(pfn, n);
  }

  emit(e: KernelEvent): void {
    this.sink?.emit(e);
  }

  proc(pid: number): Process {
    const p = this.s.procs.get(pid);
    invariant(p !== undefined, "kernel.pid", `Kernel: no process ${pid}`);
    return p;
  }

  /** The bytes of frame `pfn`, as a live view into physical memory (not a copy). */
  frameView(pfn: Pfn): Uint8Array {
    return this.hw.mem.u8.subarray(pfn * this.pageSize, (pfn + 1) * this.pageSize);
  }

  freeFrames(): number {
    return this.s.allocator.freeCount();
  }

  // ---------------------------------------------------------------- frame allocation

  /**
   * A frame for a user page. Reclaims below the min watermark; when no frame can be had,
   * the OOM killer runs and the allocation is retried. Returns null only when nothing is
   * left to kill. The caller checks afterwards whether its own process was the OOM victim.
   */
  allocUserFrame(): Pfn | null {
    for (;;) {
      const pfn = this.allocWithReclaim();
      if (pfn !== null) return pfn;
      if (!this.oomKill()) return null;
    }
  }

  /** One frame after direct reclaim if below `min`; null when none can be had. */
  private allocWithReclaim(): Pfn | null {
    const a = this.s.allocator;
    if (a.freeCount() <= this.wmark.min) {
      this.s.counters.directReclaims++;
      this.reclaim(this.wmark.min + 1 - a.freeCount());
    }
    let pfn = a.alloc();
    if (pfn === null && this.reclaim(1) > 0) pfn = a.alloc();
    if (a.freeCount() < this.wmark.low) this.s.kswapdWake = true;
    return pfn;
  }

  private allocTableFrames(n: number): Pfn | null {
    let pfn: Pfn | null;
    if (n === 1) pfn = this.allocWithReclaim();
    else {
      const order = Math.ceil(Math.log2(n));
      const a = this.s.allocator;
      pfn = a.allocBlock(order);
      while (pfn === null && this.reclaim(1) > 0) pfn = a.allocBlock(order);
    }
    if (pfn !== null && this.sink !== null) this.emit({ kind: "pt-alloc", pid: this.tableOwner, pfn });
    return pfn;
  }

  private freeTableFrames(pfn: Pfn, n: number): void {
    if (n === 1) this.s.allocator.free(pfn);
    else this.s.allocator.freeBlock(pfn, Math.ceil(Math.log2(n)));
    if (this.sink !== null) this.emit({ kind: "pt-free", pid: this.tableOwner, pfn });
  }

  /** Returns a user frame to the allocator (unmapped, not tracked any more). */
  releaseFrame(pfn: Pfn): void {
    const s = this.s;
    invariant(s.rmap[pfn]?.length === 0, "kernel.release", `releaseFrame: frame ${pfn} is still mapped`);
    this.untrack(pfn);
    if (s.cacheKey[pfn] !== -1) {
      s.pageCache.delete(s.cacheKey[pfn] as number);
      s.cacheKey[pfn] = -1;
    }
    s.shmSeg[pfn] = -1;
    s.shmIdx[pfn] = -1;
    this.hw.mem.frameTable.release(pfn);
    s.allocator.free(pfn);
  }

  // ---------------------------------------------------------------- policy bookkeeping

  /** Hands a resident user page to the replacement policy. */
  track(pfn: Pfn, key: number, write: boolean): void {
    const s = this.s;
    if (s.tracked[pfn]) return;
    s.tracked[pfn] = 1;
    s.trackedCount++;
    s.policyTime++;
    s.policy.onInsert(pfn, key, write);
  }

  /** Tells the policy that the tracked page in `pfn` was referenced without a fault. */
  referenced(pfn: number, write: boolean): void {
    this.s.policyTime++;
    this.s.policy.onHit(pfn, write);
  }

  untrack(pfn: Pfn): void {
    const s = this.s;
    if (!s.tracked[pfn]) return;
    s.tracked[pfn] = 0;
    s.trackedCount--;
    s.policy.remove(pfn);
  }

  /** The policy's page key of a resident frame: stable for the page, not the frame. */
  pageKey(pfn: number): number {
    const s = this.s;
    if (s.cacheKey[pfn] !== -1) return 2 ** 52 + (s.cacheKey[pfn] as number);
    if (s.shmSeg[pfn] !== -1)
      return 2 ** 51 + (s.shmSeg[pfn] as number) * 2 ** 24 + (s.shmIdx[pfn] as number);
    const r = s.rmap[pfn]?.[0];
    return r === undefined ? pfn : (r.pid % 2 ** 14) * 2 ** 36 + (Math.floor(r.va / this.pageSize) % 2 ** 36);
  }

  // ---------------------------------------------------------------- reverse map

  /** Records that `proc` maps `pfn` at page `va` through the entry at `pte` (map count + RSS). */
  addRmap(proc: Process, pfn: Pfn, va: number, pte: PhysAddr): void {
    this.s.rmap[pfn]?.push({ pid: proc.pid, va, pte });
    const ft = this.hw.mem.frameTable;
    ft.mapCount[pfn] = (ft.mapCount[pfn] as number) + 1;
    this.rssAdd(proc, this.pageKindOf(pfn), 1);
  }

  /** Forgets one mapping; frees the frame when it was the last and nothing else holds it. */
  dropRmap(proc: Process, pfn: Pfn, va: number): void {
    const list = this.s.rmap[pfn] as RmapEntry[];
    const i = list.findIndex((r) => r.pid === proc.pid && r.va === va);
    invariant(i >= 0, "kernel.rmap", `dropRmap: pid ${proc.pid} does not map frame ${pfn} at ${va}`);
    list.splice(i, 1);
    const ft = this.hw.mem.frameTable;
    ft.mapCount[pfn] = (ft.mapCount[pfn] as number) - 1;
    const kind = this.pageKindOf(pfn);
    this.rssAdd(proc, kind, -1);
    // A shm page belongs to its segment; anything else goes when its last mapping does.
    if (list.length === 0 && kind !== "shm") this.releaseFrame(pfn);
  }

  pageKindOf(pfn: number): PageKind {
    const use = this.hw.mem.frameTable.use[pfn];
    return use === FRAME_FILE ? "file" : use === FRAME_SHARED ? "shm" : "anon";
  }

  rssAdd(proc: Process, kind: PageKind, d: number): void {
    if (kind === "anon") proc.rss.anon += d;
    else if (kind === "file") proc.rss.file += d;
    else proc.rss.shmem += d;
    if (d > 0) proc.hwm = Math.max(proc.hwm, proc.rssPages());
  }

  /** Drops the TLB entry of `va` in `space` (needed after every PTE change). */
  invlpg(space: AddressSpace, va: number): void {
    this.hw.mmu.invlpg(space, va);
  }

  /**
   * Removes whatever the PTE of `va` in `proc` holds: a present page loses a mapping, a swap
   * entry releases its slot. No-op for an empty entry.
   */
  zapPte(proc: Process, va: number): void {
    const space = proc.space;
    if (space === null) return;
    const mem = this.hw.mem;
    const addr = findPte(mem, space, va);
    if (addr === null) return;
    const info = pteRead(mem, space.format, addr);
    if (info.flags & PTE_VALID) {
      pteClear(mem, space.format, addr);
      this.invlpg(space, va);
      this.dropRmap(proc, info.pfn, va);
    } else if (info.swapSlot !== null) {
      pteClear(mem, space.format, addr);
      this.s.swap.put(info.swapSlot);
      proc.rss.swap--;
    }
  }

  // ---------------------------------------------------------------- reclaim (reclaim.ts)

  /** Evicts up to `n` pages chosen by the replacement policy; returns the frames freed. */
  reclaim(n: number): number {
    return reclaimPages(this, n);
  }

  /** kswapd: when woken below `low`, reclaims until `high` free frames. */
  runKswapd(): void {
    if (this.s.kswapdWake) runKswapd(this);
  }

  /**
   * The kernel's work after each access completes: working-set expiry (for an `Expiring`
   * policy), then kswapd if it was woken.
   */
  afterAccess(): void {
    if (this.s.expiring) expireWorkingSet(this);
    if (this.s.kswapdWake) runKswapd(this);
  }

  /** The OOM killer; false when no process is left to kill. */
  oomKill(): boolean {
    return oomKill(this);
  }

  /** Records a major fault (thrashing detection). */
  noteMajorFault(): void {
    noteMajorFault(this);
  }

  /** Frame-table use code for a new page of a VMA kind. */
  static frameUse(kind: PageKind, heap: boolean): number {
    return kind === "file" ? FRAME_FILE : kind === "shm" ? FRAME_SHARED : heap ? FRAME_HEAP : FRAME_ANON;
  }
}

/** Narrowing helper for slot numbers read from typed arrays. */
export const slotOf = (n: number): SwapSlot => asSwapSlot(n);
