/**
 * The page-fault handler (Linux: handle_mm_fault and friends; xv6: usertrap's fault path).
 *
 * The MMU could not translate an address; the kernel decides what that meant:
 * ```
 *  address in kernel space ............................ SIGSEGV (kernel-page)
 *  no VMA: just below the stack, within the limit ...... stack growth, then zero-fill
 *          in the guard gap below the stack limit ...... SIGSEGV (stack-guard)
 *          anywhere else ............................... SIGSEGV (unmapped)
 *  VMA forbids the access ............................. SIGSEGV (write-read-only, exec-non-exec…)
 *  PTE empty: anon ..................................... minor: zero-fill a free frame
 *             file, page already in memory ............. minor: map the cached frame
 *             file, not in memory ...................... major: read it from the image
 *             shm .......................................minor/major by the segment's page
 *  PTE is a swap entry ................................. major: swap-in
 *  present, write, COW bit ............................. cow: copy, or reuse if last sharer
 * ```
 * A SIGSEGV kills only the faulting process. Allocation may reclaim or OOM-kill; if the
 * faulting process itself was the OOM victim the outcome is `killed`.
 */
import { asPfn, asPhysAddr, type Pfn, type PhysAddr } from "../base/index.js";
import { pteRead, pteUpdateFlags, pteWrite } from "../hw/entry.js";
import { FRAME_FILE, FRAME_FLAG_LOCKED } from "../hw/frames.js";
import { type AddressSpace, ensurePte } from "../hw/pagetable.js";
import { PTE_COW, PTE_EXEC, PTE_READ, PTE_USER, PTE_VALID, PTE_WRITE } from "../hw/pte.js";
import type { AccessKind, PageFaultKind, SegvReason } from "./events.js";
import { readFilePage } from "./files.js";
import { cacheKeyOf, Kernel, slotOf } from "./kernel.js";
import { pageDown, vaHex } from "./layout.js";
import type { Process } from "./process.js";
import { NO_PAGE, type ShmSegment } from "./shm.js";
import { PROT_EXEC, PROT_READ, PROT_WRITE, type Vma, vmaPageIndex } from "./vma.js";

/** How a fault ended. */
export type FaultOutcome =
  | { readonly kind: "resolved"; readonly fault: PageFaultKind }
  | { readonly kind: "segv"; readonly reason: SegvReason }
  | { readonly kind: "killed" };

const KILLED: FaultOutcome = { kind: "killed" };

/** A sentence for each SIGSEGV reason (reports and narration). */
export const SEGV_TEXT: Record<SegvReason, string> = {
  unmapped: "no mapping covers the address",
  "write-read-only": "write to a read-only page",
  "exec-non-exec": "instruction fetch from a non-executable page",
  "read-no-access": "access to a page mapped with no permissions",
  "kernel-page": "user-mode access to a kernel page",
  "stack-guard": "stack overflow into the guard gap",
  "bad-address": "the address is outside what the page-table format can translate",
};

/**
 * Handles a fault of `proc` at `va` for `access`. Precondition: `proc` is running and its
 * space is current. `pteHint` is the leaf entry address the MMU reported for this very
 * fault (-1 when it did not reach the leaf). On `segv` the caller delivers the signal.
 */
export function handleFault(
  k: Kernel,
  proc: Process,
  va: number,
  access: AccessKind,
  pteHint = -1,
): FaultOutcome {
  k.s.counters.pgfault++;
  k.tableOwner = proc.pid;
  const page = pageDown(va, k.pageSize);
  const where = classify(k, proc, va, access);
  if (where.kind === "segv") return segv(k, proc, va, access, where.reason);
  const vma = where.vma;
  let hint = pteHint;
  for (;;) {
    // The MMU already walked to the leaf entry when the tables exist: reuse its address.
    const addr =
      hint >= 0 ? asPhysAddr(hint) : ensurePte(k.hw.mem, proc.space as AddressSpace, page, k.tableAlloc);
    hint = -1;
    if (addr !== null) {
      const out = resolve(k, proc, vma, page, addr, access, where.grew);
      if (out !== null) return out;
      continue; // raced with reclaim of our own page: look again
    }
    if (!k.oomKill() || !proc.isRunning()) return KILLED;
  }
}

type Where = { kind: "segv"; reason: SegvReason } | { kind: "vma"; vma: Vma; grew: boolean };

/** Finds the VMA that makes the access legal (growing the stack if needed), or why not. */
function classify(k: Kernel, proc: Process, va: number, access: AccessKind): Where {
  const fmt = k.hw.format;
  if (!(va >= fmt.vaMin && va < fmt.vaLimit)) return { kind: "segv", reason: "bad-address" };
  if (va < 0 || va >= proc.layout.userTop) return { kind: "segv", reason: "kernel-page" };
  let vma = proc.vmas.find(va);
  let grew = false;
  if (vma === null) {
    const g = growStack(k, proc, va);
    if (g === "guard") return { kind: "segv", reason: "stack-guard" };
    if (g === null) return { kind: "segv", reason: "unmapped" };
    vma = g;
    grew = true;
  }
  if (access === "write" && !(vma.prot & PROT_WRITE)) return { kind: "segv", reason: "write-read-only" };
  if (access === "exec" && !(vma.prot & PROT_EXEC)) return { kind: "segv", reason: "exec-non-exec" };
  if (access === "read" && !(vma.prot & PROT_READ)) return { kind: "segv", reason: "read-no-access" };
  return { kind: "vma", vma, grew };
}

/**
 * Stack growth (Linux expand_downwards): an access below the stack VMA but within the
 * stack limit extends the VMA down to its page, unless that would come closer than the
 * guard gap to the area below. Returns the grown VMA, "guard" for an overflow, or null.
 */
function growStack(k: Kernel, proc: Process, va: number): Vma | "guard" | null {
  const stack = proc.vmas.all().find((v) => v.kind === "stack");
  if (stack === undefined || va >= stack.start) return null;
  const { stackTop, stackLimit, guardGap } = proc.layout;
  const lowest = stackTop - stackLimit;
  const newStart = pageDown(va, k.pageSize);
  if (va < lowest) return va >= lowest - guardGap ? "guard" : null;
  const below = proc.vmas.prevBelow(stack.start);
  if (below !== null && below.end > newStart) return null;
  if (below !== null && newStart - below.end < guardGap) return "guard";
  k.emit({ kind: "stack-grow", pid: proc.pid, from: stack.start, to: newStart });
  stack.start = newStart;
  return stack;
}

function segv(k: Kernel, proc: Process, va: number, access: AccessKind, reason: SegvReason): FaultOutcome {
  proc.faults.segv++;
  k.emit({ kind: "segv", pid: proc.pid, va, access, reason });
  done(k, proc, va, access, "segv", SEGV_TEXT[reason]);
  return { kind: "segv", reason };
}

function done(
  k: Kernel,
  proc: Process,
  va: number,
  access: AccessKind,
  fault: PageFaultKind,
  detail: string,
): FaultOutcome {
  if (k.sink !== null)
    k.emit({
      kind: "page-fault",
      pid: proc.pid,
      va,
      vpn: Math.floor(va / k.pageSize),
      access,
      fault,
      detail,
    });
  if (fault === "major") {
    proc.faults.major++;
    k.s.counters.pgmajfault++;
    k.noteMajorFault();
  } else if (fault === "minor") proc.faults.minor++;
  else if (fault === "cow") proc.faults.cow++;
  else if (fault === "stack-growth") proc.faults.stackGrowth++;
  return { kind: "resolved", fault };
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

/** Resolves a legal fault on `page` whose leaf entry is at `addr`. Null means "look again". */
function resolve(
  k: Kernel,
  proc: Process,
  vma: Vma,
  page: number,
  addr: PhysAddr,
  access: AccessKind,
  grew: boolean,
): FaultOutcome | null {
  const info = pteRead(k.hw.mem, k.hw.format, addr);
  if (info.flags & PTE_VALID) {
    if (access === "write" && info.flags & PTE_COW) return cowFault(k, proc, vma, page, addr, info.pfn);
    // Stale rights (the TLB was refreshed by the retry): refresh the entry from the VMA.
    pteUpdateFlags(k.hw.mem, k.hw.format, addr, pteFlagsFor(k, vma, (info.flags & PTE_COW) !== 0), 0);
    k.invlpg(proc.space as AddressSpace, page);
    return done(k, proc, page, access, "minor", "refreshed the page's rights from its mapping");
  }
  if (info.swapSlot !== null) return swapIn(k, proc, vma, page, addr, info.swapSlot, access);
  const b = vma.backing;
  if (b.kind === "anon") return zeroFill(k, proc, vma, page, addr, access, grew);
  if (b.kind === "file") return filePage(k, proc, vma, page, addr, access);
  return shmPage(k, proc, vma, page, addr, access);
}

/** A new frame for `proc`, or null when the process died getting it (OOM). */
function frameFor(k: Kernel, proc: Process): Pfn | null {
  const pfn = k.allocUserFrame();
  if (pfn === null) return null;
  if (!proc.isRunning()) {
    k.hw.mem.frameTable.release(pfn);
    k.s.allocator.free(pfn);
    return null;
  }
  return pfn;
}

function install(
  k: Kernel,
  proc: Process,
  page: number,
  addr: PhysAddr,
  pfn: Pfn,
  use: number,
  flags: number,
  write: boolean,
): void {
  k.hw.mem.frameTable.setUse(pfn, use, proc.pid);
  pteWrite(k.hw.mem, k.hw.format, addr, pfn, flags);
  k.invlpg(proc.space as AddressSpace, page);
  k.addRmap(proc, pfn, page);
  k.track(pfn, k.pageKey(pfn), write);
}

function anonUse(vma: Vma): number {
  return Kernel.frameUse("anon", vma.kind === "heap");
}

function zeroFill(
  k: Kernel,
  proc: Process,
  vma: Vma,
  page: number,
  addr: PhysAddr,
  access: AccessKind,
  grew: boolean,
): FaultOutcome {
  const pfn = frameFor(k, proc);
  if (pfn === null) return KILLED;
  k.hw.mem.zeroFrame(pfn);
  install(k, proc, page, addr, pfn, anonUse(vma), pteFlagsFor(k, vma, false), access === "write");
  k.s.counters.zeroFills++;
  if (k.sink !== null)
    k.emit({ kind: "zero-fill", pid: proc.pid, vpn: Math.floor(page / k.pageSize), pfn, free: true });
  const kind = grew ? "stack-growth" : "minor";
  const how = `took free frame ${pfn} and zero-filled it`;
  return done(k, proc, page, access, kind, grew ? `grew the stack down to ${vaHex(page)}, ${how}` : how);
}

function filePage(
  k: Kernel,
  proc: Process,
  vma: Vma,
  page: number,
  addr: PhysAddr,
  access: AccessKind,
): FaultOutcome {
  if (vma.backing.kind !== "file") return KILLED;
  const s = k.s;
  const file = s.files[vma.backing.file];
  if (file === undefined) return KILLED;
  const idx = vmaPageIndex(vma, page, k.pageShift);
  const key = cacheKeyOf(file.id, idx);
  const cached = s.pageCache.get(key);
  const privateWrite = access === "write" && !vma.shared;
  const canCow = k.hw.format.caps.cow;
  if (privateWrite || (!vma.shared && vma.prot & PROT_WRITE && !canCow)) {
    // A private writable copy straight away (a write, or a format without a COW bit).
    const pfn = frameFor(k, proc);
    if (pfn === null) return KILLED;
    const from = s.pageCache.get(key);
    if (from !== undefined) k.hw.mem.copyFrame(pfn, asPfn(from));
    else readFilePage(file, idx * k.pageSize, k.frameView(pfn));
    install(k, proc, page, addr, pfn, anonUse(vma), pteFlagsFor(k, vma, false), true);
    if (from !== undefined)
      return done(
        k,
        proc,
        page,
        access,
        "minor",
        `copied page ${idx} of ${file.name} from frame ${from} into private frame ${pfn}`,
      );
    if (k.sink !== null)
      k.emit({
        kind: "file-read",
        pid: proc.pid,
        vpn: Math.floor(page / k.pageSize),
        pfn,
        file: file.name,
        page: idx,
      });
    return done(k, proc, page, access, "major", `read page ${idx} of ${file.name} into private frame ${pfn}`);
  }
  const cow = !vma.shared && (vma.prot & PROT_WRITE) !== 0;
  if (cached !== undefined) {
    const pfn = asPfn(cached);
    pteWrite(k.hw.mem, k.hw.format, addr, pfn, pteFlagsFor(k, vma, cow));
    k.invlpg(proc.space as AddressSpace, page);
    k.addRmap(proc, pfn, page);
    if (k.sink !== null)
      k.emit({
        kind: "page-cache-hit",
        pid: proc.pid,
        vpn: Math.floor(page / k.pageSize),
        pfn,
        file: file.name,
      });
    return done(
      k,
      proc,
      page,
      access,
      "minor",
      `mapped frame ${pfn}, already in memory (page ${idx} of ${file.name})`,
    );
  }
  const pfn = frameFor(k, proc);
  if (pfn === null) return KILLED;
  readFilePage(file, idx * k.pageSize, k.frameView(pfn));
  s.pageCache.set(key, pfn);
  s.cacheKey[pfn] = key;
  install(k, proc, page, addr, pfn, FRAME_FILE, pteFlagsFor(k, vma, cow), false);
  if (k.sink !== null)
    k.emit({
      kind: "file-read",
      pid: proc.pid,
      vpn: Math.floor(page / k.pageSize),
      pfn,
      file: file.name,
      page: idx,
    });
  return done(k, proc, page, access, "major", `read page ${idx} of ${file.name} from disk into frame ${pfn}`);
}

function shmPage(
  k: Kernel,
  proc: Process,
  vma: Vma,
  page: number,
  addr: PhysAddr,
  access: AccessKind,
): FaultOutcome | null {
  if (vma.backing.kind !== "shm") return KILLED;
  const s = k.s;
  const seg = s.shmById.get(vma.backing.segment) as ShmSegment;
  const idx = vmaPageIndex(vma, page, k.pageShift);
  const flags = pteFlagsFor(k, vma, false);
  const resident = seg.frames[idx] as number;
  if (resident !== NO_PAGE) {
    const pfn = asPfn(resident);
    pteWrite(k.hw.mem, k.hw.format, addr, pfn, flags);
    k.invlpg(proc.space as AddressSpace, page);
    k.addRmap(proc, pfn, page);
    return done(
      k,
      proc,
      page,
      access,
      "minor",
      `mapped frame ${pfn}, page ${idx} of shared segment ${seg.name}`,
    );
  }
  const pfn = frameFor(k, proc);
  if (pfn === null) return KILLED;
  if (seg.frames[idx] !== NO_PAGE) {
    // Another path brought the page in while we allocated: use that one.
    k.hw.mem.frameTable.release(pfn);
    k.s.allocator.free(pfn);
    return null;
  }
  const slot = seg.slots[idx] as number;
  if (slot !== NO_PAGE) k.hw.mem.setFrameBytes(pfn, s.swap.read(slotOf(slot)));
  else k.hw.mem.zeroFrame(pfn);
  seg.frames[idx] = pfn;
  s.shmSeg[pfn] = seg.id;
  s.shmIdx[pfn] = idx;
  install(k, proc, page, addr, pfn, Kernel.frameUse("shm", false), flags, access === "write");
  if (slot !== NO_PAGE) {
    s.swap.put(slotOf(slot));
    seg.slots[idx] = NO_PAGE;
    s.counters.swapIns++;
    if (k.sink !== null)
      k.emit({ kind: "swap-in", pid: proc.pid, vpn: Math.floor(page / k.pageSize), pfn, slot });
    return done(
      k,
      proc,
      page,
      access,
      "major",
      `read page ${idx} of ${seg.name} back from swap slot ${slot} into frame ${pfn}`,
    );
  }
  s.counters.zeroFills++;
  if (k.sink !== null)
    k.emit({ kind: "zero-fill", pid: proc.pid, vpn: Math.floor(page / k.pageSize), pfn, free: true });
  return done(
    k,
    proc,
    page,
    access,
    "minor",
    `took free frame ${pfn} and zero-filled it for segment ${seg.name}`,
  );
}

function swapIn(
  k: Kernel,
  proc: Process,
  vma: Vma,
  page: number,
  addr: PhysAddr,
  slot: number,
  access: AccessKind,
): FaultOutcome {
  const pfn = frameFor(k, proc);
  if (pfn === null) return KILLED;
  const s = k.s;
  k.hw.mem.setFrameBytes(pfn, s.swap.read(slotOf(slot)));
  // The copy is this process's own now, whoever else still names the slot.
  install(k, proc, page, addr, pfn, anonUse(vma), pteFlagsFor(k, vma, false), access === "write");
  s.swap.put(slotOf(slot));
  proc.rss.swap--;
  s.counters.swapIns++;
  if (k.sink !== null)
    k.emit({ kind: "swap-in", pid: proc.pid, vpn: Math.floor(page / k.pageSize), pfn, slot });
  return done(k, proc, page, access, "major", `read it back from swap slot ${slot} into frame ${pfn}`);
}

/**
 * A write to a copy-on-write page. The last sharer (map count 1) takes the frame as is;
 * otherwise the page is copied into a new frame that only this process maps.
 */
function cowFault(k: Kernel, proc: Process, vma: Vma, page: number, addr: PhysAddr, old: Pfn): FaultOutcome {
  const s = k.s;
  const ft = k.hw.mem.frameTable;
  const space = proc.space as AddressSpace;
  const vpn = Math.floor(page / k.pageSize);
  if (ft.mapCount[old] === 1) {
    if (s.cacheKey[old] !== -1) {
      // A private file page becomes anonymous memory of its own.
      s.pageCache.delete(s.cacheKey[old] as number);
      s.cacheKey[old] = -1;
      k.rssAdd(proc, "file", -1);
      ft.setUse(old, anonUse(vma), proc.pid);
      k.rssAdd(proc, "anon", 1);
    }
    pteUpdateFlags(k.hw.mem, k.hw.format, addr, PTE_WRITE, PTE_COW);
    k.invlpg(space, page);
    s.counters.cowReuses++;
    if (k.sink !== null) k.emit({ kind: "cow-reuse", pid: proc.pid, vpn, pfn: old });
    return done(
      k,
      proc,
      page,
      "write",
      "cow",
      `was the last sharer of frame ${old}: made it writable without copying`,
    );
  }
  ft.flags[old] = (ft.flags[old] as number) | FRAME_FLAG_LOCKED;
  const pfn = frameFor(k, proc);
  ft.flags[old] = (ft.flags[old] as number) & ~FRAME_FLAG_LOCKED;
  if (pfn === null) return KILLED;
  k.hw.mem.copyFrame(pfn, old);
  k.hw.mem.frameTable.setUse(pfn, anonUse(vma), proc.pid);
  pteWrite(k.hw.mem, k.hw.format, addr, pfn, pteFlagsFor(k, vma, false));
  k.invlpg(space, page);
  k.dropRmap(proc, old, page);
  k.addRmap(proc, pfn, page);
  k.track(pfn, k.pageKey(pfn), true);
  s.counters.cowCopies++;
  if (k.sink !== null) k.emit({ kind: "cow-copy", pid: proc.pid, vpn, from: old, to: pfn });
  return done(
    k,
    proc,
    page,
    "write",
    "cow",
    `copied shared frame ${old} to frame ${pfn} for this process alone`,
  );
}
