/**
 * Address-space system calls: brk, mmap, munmap, mprotect, and System V shared memory
 * (shmget/shmat/shmdt/IPC_RMID). They change VMAs; pages keep coming in by demand paging,
 * and whatever leaves a mapping goes back through the reverse map (kernel.ts).
 */
import { asPfn, asSwapSlot, hex } from "../base/index.js";
import { pteRead, pteWrite } from "../hw/entry.js";
import { type AddressSpace, listMappings } from "../hw/pagetable.js";
import { PTE_ACCESSED, PTE_COW, PTE_DIRTY, PTE_VALID } from "../hw/pte.js";
import type { Kernel } from "./kernel.js";
import { pageUp } from "./layout.js";
import { type SysResult, sysErr, sysOk } from "./lifecycle.js";
import { pteFlagsFor } from "./pagein.js";
import type { Process } from "./process.js";
import { NO_PAGE, ShmSegment } from "./shm.js";
import { protString, type Vma, type VmaKind } from "./vma.js";

/**
 * Where a new mapping of `len` bytes goes: at `at` (page-aligned, free, in user space) if
 * given, else the highest free gap below the mmap base (top-down, as Linux's default).
 */
export function placeMapping(k: Kernel, p: Process, len: number, at: number | null): SysResult<number> {
  const L = p.layout;
  if (len <= 0) return sysErr("the length must be more than 0");
  if (at !== null) {
    if (at % k.pageSize !== 0)
      return sysErr(`address ${hex(at)} is not page-aligned (pages are ${k.pageSize} bytes)`);
    if (at < k.pageSize || at + len > L.userTop)
      return sysErr(`${hex(at)}..${hex(at + len)} is not in user space`);
    if (!p.vmas.isFree(at, at + len))
      return sysErr(`${hex(at)}..${hex(at + len)} overlaps an existing mapping`);
    return sysOk(at);
  }
  let hi = L.mmapBase;
  const areas = [...p.vmas.all()].sort((a, b) => b.start - a.start);
  for (const v of areas) {
    if (v.start >= hi) continue;
    if (hi - Math.max(v.end, 0) >= len) return sysOk(hi - len);
    hi = v.start;
  }
  if (hi - len >= L.heapStart) return sysOk(hi - len);
  return sysErr(`no free gap of ${len} bytes in the address space`);
}

/** Frees present pages and swap entries of `p` in [start, end). */
export function zapRange(k: Kernel, p: Process, start: number, end: number): number {
  if (p.space === null) return 0;
  const before = k.freeFrames();
  for (const m of listMappings(k.hw.mem, p.space)) if (m.va >= start && m.va < end) k.zapPte(p, m.va);
  return k.freeFrames() - before;
}

/**
 * brk(2): moves the program break. Growing adds zero-fill-on-demand heap; shrinking frees
 * the pages above the new break. Fails (the break stays) below the heap start or when the
 * heap would run into another mapping.
 */
export function brk(k: Kernel, p: Process, newBrk: number): SysResult<number> {
  const L = p.layout;
  if (newBrk < L.heapStart) return sysErr(`the break cannot go below the heap start ${hex(L.heapStart)}`);
  // The heap may have been split by mprotect: the topmost piece is the one brk moves.
  const heaps = p.vmas.all().filter((v) => v.kind === "heap");
  const top = heaps[heaps.length - 1] ?? null;
  const oldEnd = top?.end ?? L.heapStart;
  const newEnd = pageUp(newBrk, k.pageSize);
  if (newEnd > oldEnd) {
    if (!p.vmas.isFree(oldEnd, newEnd) || newEnd > L.mmapBase)
      return sysErr(`out of memory: the heap would grow into another mapping at ${hex(newEnd)}`);
    if (top !== null) top.end = newEnd;
    else p.vmas.insert(area(L.heapStart, newEnd, 3, "heap", false, { kind: "anon" }, "[heap]", null));
  } else if (newEnd < oldEnd) {
    zapRange(k, p, newEnd, oldEnd);
    for (const v of p.vmas.carve(newEnd, oldEnd)) p.vmas.remove(v);
  }
  k.emit({ kind: "brk", pid: p.pid, from: p.brk, to: newBrk });
  p.brk = newBrk;
  return sysOk(newBrk);
}

function area(
  start: number,
  end: number,
  prot: number,
  kind: VmaKind,
  shared: boolean,
  backing: Vma["backing"],
  path: string,
  label: string | null,
): Vma {
  return { start, end, prot, kind, shared, backing, path, label };
}

/** What mmap is asked for. */
export interface MmapRequest {
  readonly length: number;
  /** PROT_* bits. */
  readonly prot: number;
  /** MAP_SHARED (seen by children after fork) instead of MAP_PRIVATE. */
  readonly shared: boolean;
  /** A fixed address (MAP_FIXED_NOREPLACE), or null to let the kernel choose. */
  readonly at: number | null;
  /** The region's name in scenarios, if any. */
  readonly label: string | null;
}

/**
 * mmap(2) of anonymous memory. A private mapping is zero-fill-on-demand and COW after
 * fork; a shared one is backed by an unnamed shared segment (like shmem), so a forked
 * child sees the parent's writes. Returns the start address.
 */
export function mmap(k: Kernel, p: Process, req: MmapRequest): SysResult<number> {
  const len = pageUp(req.length, k.pageSize);
  const at = placeMapping(k, p, len, req.at);
  if (!at.ok) return at;
  const start = at.value;
  let v: Vma;
  if (req.shared) {
    const seg = createSegment(k, `anon:${p.pid}:${hex(start)}`, len, true);
    v = area(
      start,
      start + len,
      req.prot,
      "mmap-shared",
      true,
      { kind: "shm", segment: seg.id, offset: 0 },
      "/dev/zero (deleted)",
      req.label,
    );
  } else v = area(start, start + len, req.prot, "mmap-anon", false, { kind: "anon" }, "", req.label);
  p.vmas.insert(v);
  k.emit({
    kind: "mmap",
    pid: p.pid,
    start,
    end: start + len,
    prot: protString(req.prot, req.shared),
    label: req.label ?? "",
  });
  return sysOk(start);
}

/**
 * munmap(2): removes [start, start+len) from every VMA it touches (splitting them), frees
 * the pages, and destroys shared segments nobody maps any more.
 */
export function munmap(k: Kernel, p: Process, start: number, len: number): SysResult<number> {
  if (start % k.pageSize !== 0) return sysErr(`address ${hex(start)} is not page-aligned`);
  const end = start + pageUp(len, k.pageSize);
  if (len <= 0) return sysErr("the length must be more than 0");
  const inside = p.vmas.carve(start, end);
  const freed = zapRange(k, p, start, end);
  const segments = new Set<number>();
  for (const v of inside) {
    p.vmas.remove(v);
    if (v.backing.kind === "shm") segments.add(v.backing.segment);
  }
  for (const id of segments) destroyIfUnused(k, id);
  for (const [name, va] of p.shmAttach) if (va >= start && va < end) p.shmAttach.delete(name);
  k.emit({ kind: "munmap", pid: p.pid, start, end, freedFrames: freed });
  return sysOk(freed);
}

/**
 * mprotect(2): new permissions for [start, start+len). Present pages get new PTE rights at
 * once (a COW page stays read-only until its fault); the TLB entries are dropped.
 */
export function mprotect(k: Kernel, p: Process, start: number, len: number, prot: number): SysResult<number> {
  if (start % k.pageSize !== 0) return sysErr(`address ${hex(start)} is not page-aligned`);
  const end = start + pageUp(len, k.pageSize);
  for (let va = start; va < end; ) {
    const v = p.vmas.find(va);
    if (v === null) return sysErr(`${hex(va)} is not mapped`);
    va = v.end;
  }
  for (const v of p.vmas.carve(start, end)) v.prot = prot;
  const space = p.space as AddressSpace;
  for (const m of listMappings(k.hw.mem, space)) {
    if (m.va < start || m.va >= end || !(m.flags & PTE_VALID)) continue;
    const v = p.vmas.find(m.va) as Vma;
    const cow = (m.flags & PTE_COW) !== 0 || (!v.shared && k.s.cacheKey[m.pfn] !== -1);
    const info = pteRead(k.hw.mem, space.format, m.addr);
    pteWrite(
      k.hw.mem,
      space.format,
      m.addr,
      m.pfn,
      pteFlagsFor(k, v, cow) | (info.flags & (PTE_ACCESSED | PTE_DIRTY)),
    );
    k.invlpg(space, m.va);
  }
  k.emit({ kind: "mprotect", pid: p.pid, start, end, prot: protString(prot, false) });
  return sysOk(end - start);
}

// ------------------------------------------------------------------ shared memory

function createSegment(k: Kernel, name: string, size: number, removed: boolean): ShmSegment {
  const pages = Math.ceil(size / k.pageSize);
  const seg = new ShmSegment(k.s.nextShmId++, name, pages * k.pageSize, pages);
  seg.removed = removed;
  k.s.shmById.set(seg.id, seg);
  return seg;
}

/** shmget: a named segment of `size` bytes (rounded up to pages), untouched until used. */
export function shmCreate(k: Kernel, name: string, size: number): SysResult<ShmSegment> {
  if (k.s.shm.has(name)) return sysErr(`a shared memory segment named ${name} already exists`);
  if (size <= 0) return sysErr("a segment needs at least one byte");
  const seg = createSegment(k, name, size, false);
  k.s.shm.set(name, seg);
  k.emit({ kind: "shm-create", name, size: seg.size });
  return sysOk(seg);
}

/** shmat: maps the whole segment into `p` at `at` (or where mmap would put it). */
export function shmAttach(
  k: Kernel,
  p: Process,
  name: string,
  at: number | null,
  prot: number,
): SysResult<number> {
  const seg = k.s.shm.get(name);
  if (seg === undefined) return sysErr(`no shared memory segment named ${name}`);
  if (p.shmAttach.has(name)) return sysErr(`${p.name} has already attached ${name}`);
  const place = placeMapping(k, p, seg.size, at);
  if (!place.ok) return place;
  const start = place.value;
  const path = `/SYSV${seg.id.toString(16).padStart(8, "0")}`;
  p.vmas.insert(
    area(start, start + seg.size, prot, "shm", true, { kind: "shm", segment: seg.id, offset: 0 }, path, name),
  );
  p.shmAttach.set(name, start);
  seg.attachments++;
  k.emit({ kind: "shm-attach", pid: p.pid, name, start, end: start + seg.size });
  return sysOk(start);
}

/** shmdt: unmaps the segment from `p`; a removed segment is destroyed at its last detach. */
export function shmDetach(k: Kernel, p: Process, name: string): SysResult<number> {
  const start = p.shmAttach.get(name);
  const seg = k.s.shm.get(name);
  if (start === undefined || seg === undefined) return sysErr(`${p.name} has not attached ${name}`);
  const freed = zapRange(k, p, start, start + seg.size);
  for (const v of p.vmas.carve(start, start + seg.size)) p.vmas.remove(v);
  p.shmAttach.delete(name);
  seg.attachments--;
  k.emit({ kind: "shm-detach", pid: p.pid, name });
  destroyIfUnused(k, seg.id);
  return sysOk(freed);
}

/** shmctl(IPC_RMID): marks the segment for destruction once nobody maps it. */
export function shmRemove(k: Kernel, name: string): SysResult<number> {
  const seg = k.s.shm.get(name);
  if (seg === undefined) return sysErr(`no shared memory segment named ${name}`);
  seg.removed = true;
  destroyIfUnused(k, seg.id);
  return sysOk(0);
}

/** True when some VMA of a live process is backed by segment `id`. */
function segmentMapped(k: Kernel, id: number): boolean {
  for (const p of k.s.procs.values())
    for (const v of p.vmas.all()) if (v.backing.kind === "shm" && v.backing.segment === id) return true;
  return false;
}

/** Destroys a removed segment nobody maps: its frames and swap slots are freed. */
export function destroyIfUnused(k: Kernel, id: number): void {
  const seg = k.s.shmById.get(id);
  if (seg === undefined || !seg.removed || segmentMapped(k, id)) return;
  const before = k.freeFrames();
  for (let i = 0; i < seg.pages; i++) {
    const f = seg.frames[i] as number;
    if (f !== NO_PAGE) k.releaseFrame(asPfn(f));
    const s = seg.slots[i] as number;
    if (s !== NO_PAGE) k.s.swap.put(asSwapSlot(s));
  }
  seg.frames.fill(NO_PAGE);
  seg.slots.fill(NO_PAGE);
  k.s.shmById.delete(id);
  if (k.s.shm.get(seg.name) === seg) k.s.shm.delete(seg.name);
  k.emit({ kind: "shm-destroy", name: seg.name, freedFrames: k.freeFrames() - before });
}
