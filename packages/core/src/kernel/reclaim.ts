/**
 * Page reclaim (Linux: mm/vmscan.c, mm/oom_kill.c): the replacement policy chooses a
 * victim frame and the kernel evicts it. Anonymous pages go to a swap slot that every
 * non-present PTE mapping them records; clean file pages are dropped (re-read on the next
 * touch); shm pages go to swap and their segment remembers the slot. kswapd reclaims in
 * the background between the watermarks; when nothing can be evicted the OOM killer runs.
 */
import { asPfn, asPhysAddr, type Pfn, type SwapSlot } from "../base/index.js";
import { pteClear, pteWriteSwap } from "../hw/entry.js";
import { FRAME_FLAG_LOCKED } from "../hw/frames.js";
import type { AddressSpace } from "../hw/pagetable.js";
import type { Expiring, ReplacementPolicy } from "../replacement/policy.js";
import type { PageKind } from "./events.js";
import { type Kernel, type RmapEntry, THRASH_FAULTS, THRASH_WINDOW } from "./kernel.js";
import type { Process } from "./process.js";
import { NO_PAGE, type ShmSegment } from "./shm.js";

/**
 * Evicts up to `n` pages chosen by the replacement policy. Pages that cannot go (locked,
 * or anonymous with no free swap slot) are handed back to the policy. Returns the number
 * of frames freed.
 */
export function reclaimPages(k: Kernel, n: number): number {
  const s = k.s;
  let guard = 2 * s.tracked.length + 2;
  return evictFromPolicy(k, (freed) =>
    freed < n && s.trackedCount > 0 && guard-- > 0 ? s.policy.evict() : -1,
  );
}

/**
 * Working-set expiry, for a policy that is `Expiring` (Working Set): evicts every page the
 * policy says has left the working set at its present logical time, by the same path as
 * reclaim (a page that must stay goes back to the policy afterwards). Returns the frames
 * freed. Call between accesses: never while a translated address is still to be used.
 */
export function expireWorkingSet(k: Kernel): number {
  const policy = k.s.policy as ReplacementPolicy & Expiring;
  const now = k.s.policyTime;
  return evictFromPolicy(k, () => policy.nextExpired(now));
}

/**
 * Evicts each page `next` takes from the policy (a victim it chose, or a page that expired)
 * until it answers -1; `next` is told the frames freed so far. A page the kernel does not
 * track is passed over; one that must stay (locked, or no swap slot) goes back to the
 * policy at the end, not before, or it could be handed out again. Returns the frames freed.
 */
function evictFromPolicy(k: Kernel, next: (freed: number) => number): number {
  const s = k.s;
  let freed = 0;
  const refused: number[] = [];
  for (let pfn = next(0); pfn >= 0; pfn = next(freed)) {
    if (!s.tracked[pfn]) continue;
    s.tracked[pfn] = 0;
    s.trackedCount--;
    if (evict(k, asPfn(pfn))) freed++;
    else refused.push(pfn);
  }
  for (const pfn of refused) k.track(asPfn(pfn), k.pageKey(pfn), false);
  return freed;
}

/** Evicts one resident user page (already taken from the policy). False when it must stay. */
function evict(k: Kernel, pfn: Pfn): boolean {
  const ft = k.hw.mem.frameTable;
  if ((ft.flags[pfn] as number) & FRAME_FLAG_LOCKED) return false;
  const kind = k.pageKindOf(pfn);
  if (kind === "file") return dropFilePage(k, pfn);
  return swapOutPage(k, pfn, kind);
}

/** The pid and vpn of the first mapping of `pfn` (0 and -1 when nothing maps it), for events. */
function firstMapper(k: Kernel, pfn: Pfn): { pid: number; vpn: number } {
  const first = k.s.rmap[pfn]?.[0];
  return first === undefined
    ? { pid: 0, vpn: -1 }
    : { pid: first.pid, vpn: Math.floor(first.va / k.pageSize) };
}

function emitEvict(k: Kernel, pfn: Pfn, page: PageKind, action: "swap-out" | "drop"): void {
  if (k.sink === null) return;
  k.emit({
    kind: "evict",
    pfn,
    page,
    ...firstMapper(k, pfn),
    policy: k.s.policy.name,
    action,
    mappers: k.s.rmap[pfn]?.length ?? 0,
  });
}

/** A clean file page is simply forgotten: every PTE cleared, the page re-read on next use. */
function dropFilePage(k: Kernel, pfn: Pfn): boolean {
  emitEvict(k, pfn, "file", "drop");
  unmapAll(k, pfn, null);
  k.s.counters.evictions++;
  k.s.counters.drops++;
  k.releaseFrame(pfn);
  return true;
}

/** Writes an anonymous or shm page to a free swap slot and unmaps it everywhere. */
function swapOutPage(k: Kernel, pfn: Pfn, kind: PageKind): boolean {
  const s = k.s;
  if (!k.hw.format.caps.swap || s.swap.slots === 0) return false;
  const mappers = s.rmap[pfn]?.length ?? 0;
  const refs = kind === "shm" ? 1 : mappers;
  if (refs === 0) return false;
  const slot = s.swap.alloc(refs);
  if (slot === null) return false;
  emitEvict(k, pfn, kind, "swap-out");
  s.swap.write(slot, k.frameView(pfn));
  if (k.sink !== null) k.emit({ kind: "swap-out", pfn, slot, ...firstMapper(k, pfn) });
  if (kind === "shm") {
    const seg = s.shmById.get(s.shmSeg[pfn] as number) as ShmSegment;
    const idx = s.shmIdx[pfn] as number;
    seg.frames[idx] = NO_PAGE;
    seg.slots[idx] = slot;
    unmapAll(k, pfn, null);
  } else unmapAll(k, pfn, slot);
  s.counters.evictions++;
  s.counters.swapOuts++;
  k.releaseFrame(pfn);
  return true;
}

/**
 * Clears every PTE mapping `pfn`; with a slot, each becomes a swap entry naming it (the
 * slot's use count was set by the caller to the number of mappers).
 */
function unmapAll(k: Kernel, pfn: Pfn, slot: SwapSlot | null): void {
  const s = k.s;
  const list = s.rmap[pfn] as RmapEntry[];
  const kind = k.pageKindOf(pfn);
  const ft = k.hw.mem.frameTable;
  for (const r of list) {
    const p = k.proc(r.pid);
    const space = p.space as AddressSpace;
    const addr = asPhysAddr(r.pte);
    if (slot !== null) {
      pteWriteSwap(k.hw.mem, space.format, addr, slot);
      p.rss.swap++;
    } else pteClear(k.hw.mem, space.format, addr);
    k.invlpg(space, r.va);
    k.rssAdd(p, kind, -1);
  }
  list.length = 0;
  ft.mapCount[pfn] = 0;
}

/** kswapd: when woken below `low`, reclaims until `high` free frames (or nothing is left). */
export function runKswapd(k: Kernel): void {
  const s = k.s;
  if (!s.kswapdWake) return;
  s.kswapdWake = false;
  if (!k.kswapdEnabled) return;
  const free = k.freeFrames();
  if (free >= k.wmark.low) return;
  const got = reclaimPages(k, k.wmark.high - free);
  s.counters.kswapdRuns++;
  s.counters.kswapdReclaimed += got;
  k.emit({ kind: "kswapd", reclaimed: got, free: k.freeFrames(), high: k.wmark.high });
}

/**
 * The OOM killer: RAM and swap are exhausted, so the running process with the largest
 * resident set is killed (Linux's oom_badness is mostly RSS + swap). False when no
 * process is left to kill.
 */
export function oomKill(k: Kernel): boolean {
  let victim: Process | null = null;
  for (const p of k.s.procs.values()) {
    if (!p.isRunning()) continue;
    if (victim === null || p.rssPages() > victim.rssPages()) victim = p;
  }
  if (victim === null) return false;
  const frames = k.hw.mem.frameCount;
  const reason =
    `out of memory: all ${frames} frames are in use and ${k.s.swap.slots === 0 ? "there is no swap" : `all ${k.s.swap.slots} swap slots are full`}; ` +
    `killed ${victim.name} (pid ${victim.pid}), the largest resident set (${victim.rssPages()} pages)`;
  k.s.counters.oomKills++;
  k.emit({ kind: "oom-kill", pid: victim.pid, name: victim.name, rss: victim.rssPages(), reason });
  k.kill(victim, "SIGKILL", reason);
  return true;
}

/** Records a major fault; reports thrashing when they come faster than the window allows. */
export function noteMajorFault(k: Kernel): void {
  const s = k.s;
  const oldest = s.majorRing[s.majorPos] as number;
  s.majorRing[s.majorPos] = s.tick;
  s.majorPos = (s.majorPos + 1) % THRASH_FAULTS;
  const fast = s.tick - oldest <= THRASH_WINDOW;
  if (fast && !s.thrashing) {
    s.thrashing = true;
    s.counters.thrashingEpisodes++;
    k.emit({ kind: "thrashing", window: THRASH_WINDOW, majorFaults: THRASH_FAULTS });
  } else if (!fast) s.thrashing = false;
}
