/**
 * Bringing a page in: the ways a legal fault on a non-present page is resolved.
 * - anonymous memory: take a free frame and zero-fill it (minor);
 * - a file page already in the page cache: map that frame (minor);
 * - a file page not in memory: read it from the image into a new frame (major);
 * - a shm page: map the segment's frame, zero-fill it, or read it back from swap;
 * - a swap entry: read the slot back into a new frame (major).
 * Each returns the fault kind and a phrase for the narration, or "killed" when the
 * process died getting a frame (OOM), or "retry" when the page table changed meanwhile.
 */
import { asPfn, type Pfn, type PhysAddr } from "../base/index.js";
import { pteWrite } from "../hw/entry.js";
import { FRAME_FILE } from "../hw/frames.js";
import type { AddressSpace } from "../hw/pagetable.js";
import { PTE_COW, PTE_EXEC, PTE_READ, PTE_USER, PTE_VALID, PTE_WRITE } from "../hw/pte.js";
import type { AccessKind, PageFaultKind } from "./events.js";
import { readFilePage } from "./files.js";
import { cacheKeyOf, Kernel, slotOf } from "./kernel.js";
import { vaHex } from "./layout.js";
import type { Process } from "./process.js";
import { NO_PAGE, type ShmSegment } from "./shm.js";
import { PROT_EXEC, PROT_READ, PROT_WRITE, type Vma, vmaPageIndex } from "./vma.js";

/**
 * The fault being resolved (Linux: struct vm_fault): the faulting process, the VMA that
 * makes the access legal, the page's address, the leaf entry's physical address, and the
 * access.
 */
export interface VmFault {
  readonly proc: Process;
  readonly vma: Vma;
  readonly page: number;
  readonly addr: PhysAddr;
  readonly access: AccessKind;
}

/** How a fault was resolved, or why it was not. */
export type Resolution = { readonly fault: PageFaultKind; readonly detail: string } | "killed" | "retry";

/** The fault kind and the phrase that completes "the kernel …". */
export function outcome(fault: PageFaultKind, detail: string): Resolution {
  return { fault, detail };
}

/** PTE flags for a page of `vma`; `cow` maps it read-only with the COW bit. */
export function pteFlagsFor(k: Kernel, vma: Vma, cow: boolean): number {
  const caps = k.hw.format.caps;
  let f = PTE_VALID | PTE_USER | PTE_READ;
  if (vma.prot & PROT_WRITE && !cow) f |= PTE_WRITE;
  if (vma.prot & PROT_EXEC) f |= PTE_EXEC;
  if (cow && caps.cow) f |= PTE_COW;
  // x86 cannot make a present page unreadable: PROT_NONE pages are kernel-only instead,
  // so a user access faults and the VMA check refuses it.
  if (!(vma.prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) && caps.userProtect) f &= ~PTE_USER;
  return f;
}

/** A new frame for `proc`, or null when the process died getting it (OOM). */
export function frameFor(k: Kernel, proc: Process): Pfn | null {
  const pfn = k.allocUserFrame();
  if (pfn === null) return null;
  if (!proc.isRunning()) {
    giveBack(k, pfn);
    return null;
  }
  return pfn;
}

/** Returns a frame from `frameFor` that was never mapped to the free list. */
function giveBack(k: Kernel, pfn: Pfn): void {
  k.hw.mem.frameTable.release(pfn);
  k.s.allocator.free(pfn);
}

/**
 * Points the faulting entry to `pfn` with `flags`, drops the stale TLB entry and records
 * the reverse mapping. The frame's use and policy tracking are the caller's: a shared
 * frame already has both.
 */
function mapFrame(k: Kernel, { proc, page, addr }: VmFault, pfn: Pfn, flags: number): void {
  pteWrite(k.hw.mem, k.hw.format, addr, pfn, flags);
  k.invlpg(proc.space as AddressSpace, page);
  k.addRmap(proc, pfn, page, addr);
}

/** Maps a fresh frame `pfn` of use `use` for the faulting page and hands it to the policy. */
export function install(k: Kernel, f: VmFault, pfn: Pfn, use: number, flags: number, write: boolean): void {
  k.hw.mem.frameTable.setUse(pfn, use, f.proc.pid);
  mapFrame(k, f, pfn, flags);
  k.track(pfn, k.pageKey(pfn), write);
}

/** Counts a zero-filled page and reports it. */
function noteZeroFill(k: Kernel, { proc, page }: VmFault, pfn: Pfn): void {
  k.s.counters.zeroFills++;
  if (k.sink !== null)
    k.emit({ kind: "zero-fill", pid: proc.pid, vpn: Math.floor(page / k.pageSize), pfn, free: true });
}

/** Counts a page read back from swap `slot` and reports it (the slot is the caller's). */
function noteSwapIn(k: Kernel, { proc, page }: VmFault, pfn: Pfn, slot: number): void {
  k.s.counters.swapIns++;
  if (k.sink !== null)
    k.emit({ kind: "swap-in", pid: proc.pid, vpn: Math.floor(page / k.pageSize), pfn, slot });
}

/** Reports page `idx` of the file named `file` read from the image into `pfn`. */
function noteFileRead(k: Kernel, { proc, page }: VmFault, pfn: Pfn, file: string, idx: number): void {
  if (k.sink !== null)
    k.emit({ kind: "file-read", pid: proc.pid, vpn: Math.floor(page / k.pageSize), pfn, file, page: idx });
}

/** Frame-table use of an anonymous page of `vma` (heap pages are told apart). */
export function anonUse(vma: Vma): number {
  return Kernel.frameUse("anon", vma.kind === "heap");
}

/** Anonymous memory: a free frame, zero-filled (minor; "stack-growth" when `grew`). */
export function zeroFill(k: Kernel, f: VmFault, grew: boolean): Resolution {
  const { proc, vma, page, access } = f;
  const pfn = frameFor(k, proc);
  if (pfn === null) return "killed";
  k.hw.mem.zeroFrame(pfn);
  install(k, f, pfn, anonUse(vma), pteFlagsFor(k, vma, false), access === "write");
  noteZeroFill(k, f, pfn);
  const kind = grew ? "stack-growth" : "minor";
  const how = `took free frame ${pfn} and zero-filled it`;
  return outcome(kind, grew ? `grew the stack down to ${vaHex(page)}, ${how}` : how);
}

/** A file-backed page: from the page cache (minor) or the image (major); private writes copy. */
export function filePage(k: Kernel, f: VmFault): Resolution {
  const { proc, vma, page, access } = f;
  if (vma.backing.kind !== "file") return "killed";
  const s = k.s;
  const file = s.files[vma.backing.file];
  if (file === undefined) return "killed";
  const idx = vmaPageIndex(vma, page, k.pageShift);
  const key = cacheKeyOf(file.id, idx);
  const cached = s.pageCache.get(key);
  const privateWrite = access === "write" && !vma.shared;
  const canCow = k.hw.format.caps.cow;
  if (privateWrite || (!vma.shared && vma.prot & PROT_WRITE && !canCow)) {
    // A private writable copy straight away (a write, or a format without a COW bit).
    const pfn = frameFor(k, proc);
    if (pfn === null) return "killed";
    const from = s.pageCache.get(key);
    if (from !== undefined) k.hw.mem.copyFrame(pfn, asPfn(from));
    else readFilePage(file, idx * k.pageSize, k.frameView(pfn));
    install(k, f, pfn, anonUse(vma), pteFlagsFor(k, vma, false), true);
    if (from !== undefined)
      return outcome(
        "minor",
        `copied page ${idx} of ${file.name} from frame ${from} into private frame ${pfn}`,
      );
    noteFileRead(k, f, pfn, file.name, idx);
    return outcome("major", `read page ${idx} of ${file.name} into private frame ${pfn}`);
  }
  const cow = !vma.shared && (vma.prot & PROT_WRITE) !== 0;
  if (cached !== undefined) {
    const pfn = asPfn(cached);
    mapFrame(k, f, pfn, pteFlagsFor(k, vma, cow));
    if (k.sink !== null)
      k.emit({
        kind: "page-cache-hit",
        pid: proc.pid,
        vpn: Math.floor(page / k.pageSize),
        pfn,
        file: file.name,
      });
    return outcome("minor", `mapped frame ${pfn}, already in memory (page ${idx} of ${file.name})`);
  }
  const pfn = frameFor(k, proc);
  if (pfn === null) return "killed";
  readFilePage(file, idx * k.pageSize, k.frameView(pfn));
  s.pageCache.set(key, pfn);
  s.cacheKey[pfn] = key;
  install(k, f, pfn, FRAME_FILE, pteFlagsFor(k, vma, cow), false);
  noteFileRead(k, f, pfn, file.name, idx);
  return outcome("major", `read page ${idx} of ${file.name} from disk into frame ${pfn}`);
}

/** A shm page: the segment's resident frame, or a new one zero-filled or read back from swap. */
export function shmPage(k: Kernel, f: VmFault): Resolution {
  const { proc, vma, page, access } = f;
  if (vma.backing.kind !== "shm") return "killed";
  const s = k.s;
  const seg = s.shmById.get(vma.backing.segment) as ShmSegment;
  const idx = vmaPageIndex(vma, page, k.pageShift);
  const flags = pteFlagsFor(k, vma, false);
  const resident = seg.frames[idx] as number;
  if (resident !== NO_PAGE) {
    const pfn = asPfn(resident);
    mapFrame(k, f, pfn, flags);
    return outcome("minor", `mapped frame ${pfn}, page ${idx} of shared segment ${seg.name}`);
  }
  const pfn = frameFor(k, proc);
  if (pfn === null) return "killed";
  if (seg.frames[idx] !== NO_PAGE) {
    // Another path brought the page in while we allocated: use that one.
    giveBack(k, pfn);
    return "retry";
  }
  const slot = seg.slots[idx] as number;
  if (slot !== NO_PAGE) k.hw.mem.setFrameBytes(pfn, s.swap.read(slotOf(slot)));
  else k.hw.mem.zeroFrame(pfn);
  seg.frames[idx] = pfn;
  s.shmSeg[pfn] = seg.id;
  s.shmIdx[pfn] = idx;
  install(k, f, pfn, Kernel.frameUse("shm", false), flags, access === "write");
  if (slot !== NO_PAGE) {
    s.swap.put(slotOf(slot));
    seg.slots[idx] = NO_PAGE;
    noteSwapIn(k, f, pfn, slot);
    return outcome("major", `read page ${idx} of ${seg.name} back from swap slot ${slot} into frame ${pfn}`);
  }
  noteZeroFill(k, f, pfn);
  return outcome("minor", `took free frame ${pfn} and zero-filled it for segment ${seg.name}`);
}

/** A page in swap `slot`: read back into a new frame of its own (major). */
export function swapIn(k: Kernel, f: VmFault, slot: number): Resolution {
  const { proc, vma, access } = f;
  const pfn = frameFor(k, proc);
  if (pfn === null) return "killed";
  const s = k.s;
  k.hw.mem.setFrameBytes(pfn, s.swap.read(slotOf(slot)));
  // The copy is this process's own now, whoever else still names the slot.
  install(k, f, pfn, anonUse(vma), pteFlagsFor(k, vma, false), access === "write");
  s.swap.put(slotOf(slot));
  proc.rss.swap--;
  noteSwapIn(k, f, pfn, slot);
  return outcome("major", `read it back from swap slot ${slot} into frame ${pfn}`);
}
