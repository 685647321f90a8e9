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
import { asPhysAddr, type PhysAddr } from "../base/index.js";
import { pteRead, pteUpdateFlags } from "../hw/entry.js";
import { type AddressSpace, ensurePte } from "../hw/pagetable.js";
import { PTE_COW, PTE_VALID } from "../hw/pte.js";
import { cowFault } from "./cow.js";
import type { AccessKind, PageFaultKind, SegvReason } from "./events.js";
import type { Kernel } from "./kernel.js";
import { pageDown } from "./layout.js";
import { filePage, pteFlagsFor, type Resolution, shmPage, swapIn, type VmFault, zeroFill } from "./pagein.js";
import type { Process } from "./process.js";
import { PROT_EXEC, PROT_READ, PROT_WRITE, type Vma } from "./vma.js";

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
  const f: VmFault = { proc, vma, page, addr, access };
  if (info.flags & PTE_VALID) {
    if (access === "write" && info.flags & PTE_COW) return finish(k, f, cowFault(k, f, info.pfn));
    // Stale rights (the TLB was refreshed by the retry): refresh the entry from the VMA.
    pteUpdateFlags(k.hw.mem, k.hw.format, addr, pteFlagsFor(k, vma, (info.flags & PTE_COW) !== 0), 0);
    k.invlpg(proc.space as AddressSpace, page);
    return done(k, proc, page, access, "minor", "refreshed the page's rights from its mapping");
  }
  if (info.swapSlot !== null) return finish(k, f, swapIn(k, f, info.swapSlot));
  const b = vma.backing;
  if (b.kind === "anon") return finish(k, f, zeroFill(k, f, grew));
  if (b.kind === "file") return finish(k, f, filePage(k, f));
  return finish(k, f, shmPage(k, f));
}

/** Turns a page-in result into the fault outcome (counting and reporting it). */
function finish(k: Kernel, f: VmFault, r: Resolution): FaultOutcome | null {
  if (r === "killed") return KILLED;
  if (r === "retry") return null;
  return done(k, f.proc, f.page, f.access, r.fault, r.detail);
}
