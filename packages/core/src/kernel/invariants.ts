/**
 * The kernel's invariant checker (on in tests and under `memsim run --check`).
 *
 * - Every frame is free in the allocator exactly when the frame table says free.
 * - Every user frame is accounted for: its map count equals the number of PTEs naming it
 *   (found by walking every page table), it is in the reverse map for each of them, and
 *   it is a page-cache page, a shm segment's page, or mapped anonymous memory.
 * - Every page-table frame belongs to the tables of a live process.
 * - Every swap slot's use count equals the swap entries naming it (PTEs + shm segments).
 * - Per-process RSS and swap counters match a recount; every mapping lies in a VMA.
 * - With no live process and no shared segment left, every frame and slot is free.
 */
import { asPfn, asSwapSlot } from "../base/index.js";
import { FRAME_FREE, FRAME_PAGE_TABLE } from "../hw/frames.js";
import { listMappings, tablePages } from "../hw/pagetable.js";
import { PTE_VALID } from "../hw/pte.js";
import type { Kernel } from "./kernel.js";
import { NO_PAGE } from "./shm.js";

/** Returns every violated invariant as a sentence; empty when the kernel is consistent. */
export function checkInvariants(k: Kernel): string[] {
  const out: string[] = [];
  const s = k.s;
  const n = k.hw.mem.frameCount;
  const ptes = new Int32Array(n);
  const tables = new Uint8Array(n);
  const slotRefs = new Int32Array(s.swap.slots);
  for (const p of s.procs.values()) {
    if (p.space === null) {
      if (p.rssPages() !== 0 || p.rss.swap !== 0)
        out.push(`${p.name} is gone but still counts resident or swapped pages`);
      continue;
    }
    for (const t of tablePages(k.hw.mem, p.space)) tables[t] = 1;
    const rss = { anon: 0, file: 0, shmem: 0, swap: 0 };
    for (const m of listMappings(k.hw.mem, p.space)) {
      if (p.vmas.find(m.va) === null) out.push(`${p.name}: page ${m.va} is mapped outside every VMA`);
      if (m.swapSlot !== null) {
        rss.swap++;
        if (m.swapSlot >= s.swap.slots)
          out.push(`${p.name}: swap entry names slot ${m.swapSlot}, beyond the swap area`);
        else slotRefs[m.swapSlot] = (slotRefs[m.swapSlot] as number) + 1;
        continue;
      }
      if (!(m.flags & PTE_VALID)) continue;
      ptes[m.pfn] = (ptes[m.pfn] as number) + 1;
      const kind = k.pageKindOf(m.pfn);
      rss[kind === "shm" ? "shmem" : kind]++;
      if (!s.rmap[m.pfn]?.some((r) => r.pid === p.pid && r.va === m.va && r.pte === m.addr))
        out.push(`${p.name}: the reverse map of frame ${m.pfn} misses the PTE at ${m.va}`);
    }
    for (const key of ["anon", "file", "shmem", "swap"] as const)
      if (rss[key] !== p.rss[key])
        out.push(`${p.name}: ${key} counter says ${p.rss[key]} pages, the page tables ${rss[key]}`);
  }
  for (const seg of s.shmById.values())
    for (const slot of seg.slots) if (slot !== NO_PAGE) slotRefs[slot] = (slotRefs[slot] as number) + 1;
  checkFrames(k, ptes, tables, out);
  for (let i = 0; i < s.swap.slots; i++) {
    const c = s.swap.count(asSwapSlot(i));
    if (c !== slotRefs[i]) out.push(`swap slot ${i} has use count ${c} but ${slotRefs[i]} entries name it`);
  }
  const live = [...s.procs.values()].some((p) => p.space !== null);
  if (!live && s.shmById.size === 0) {
    if (k.freeFrames() !== n)
      out.push(`no process is left but only ${k.freeFrames()} of ${n} frames are free`);
    if (s.swap.freeCount() !== s.swap.slots)
      out.push(`no process is left but ${s.swap.usedCount()} swap slots are in use`);
  }
  return out;
}

function checkFrames(k: Kernel, ptes: Int32Array, tables: Uint8Array, out: string[]): void {
  const s = k.s;
  const ft = k.hw.mem.frameTable;
  let free = 0;
  let tracked = 0;
  for (let pfn = 0; pfn < ptes.length; pfn++) {
    const use = ft.use[pfn] as number;
    const isFree = s.allocator.isFree(asPfn(pfn));
    if (isFree) free++;
    if (isFree !== (use === FRAME_FREE))
      out.push(
        `frame ${pfn}: allocator says ${isFree ? "free" : "used"}, frame table says ${use === FRAME_FREE ? "free" : "used"}`,
      );
    if (s.tracked[pfn]) tracked++;
    if (use === FRAME_FREE) {
      if (ptes[pfn] !== 0) out.push(`frame ${pfn} is free but ${ptes[pfn]} PTEs map it`);
      continue;
    }
    if (use === FRAME_PAGE_TABLE) {
      if (!tables[pfn]) out.push(`frame ${pfn} is a page-table page of no live process`);
      continue;
    }
    const maps = ft.mapCount[pfn] as number;
    if (maps !== ptes[pfn]) out.push(`frame ${pfn}: map count ${maps} but ${ptes[pfn]} PTEs map it`);
    if ((s.rmap[pfn]?.length ?? 0) !== maps)
      out.push(`frame ${pfn}: reverse map has ${s.rmap[pfn]?.length} entries, map count ${maps}`);
    if (!s.tracked[pfn]) out.push(`frame ${pfn} is a user page the replacement policy does not know`);
    const held = s.cacheKey[pfn] !== -1 || s.shmSeg[pfn] !== -1 || maps > 0;
    if (!held) out.push(`frame ${pfn} is in use but nothing holds it (leaked)`);
    if (s.cacheKey[pfn] !== -1 && s.pageCache.get(s.cacheKey[pfn] as number) !== pfn)
      out.push(`frame ${pfn}: page cache entry is wrong`);
    if (s.shmSeg[pfn] !== -1) {
      const seg = s.shmById.get(s.shmSeg[pfn] as number);
      if (seg?.frames[s.shmIdx[pfn] as number] !== pfn)
        out.push(`frame ${pfn}: its shared segment does not list it`);
    }
  }
  if (free !== s.allocator.freeCount())
    out.push(`allocator counts ${s.allocator.freeCount()} free frames, ${free} are free`);
  if (tracked !== s.trackedCount)
    out.push(`policy tracks ${s.trackedCount} pages by count, ${tracked} by flag`);
}
