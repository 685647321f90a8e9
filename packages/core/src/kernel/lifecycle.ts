/**
 * Process life cycle: spawn (exec of a program image), fork with copy-on-write, and exit /
 * kill, which return every frame, page-table page and swap slot the process held.
 */
import { asAsid, type Pfn, type PhysAddr } from "../base/index.js";
import { pteRead, pteUpdateFlags, pteWrite, pteWriteSwap } from "../hw/entry.js";
import { FRAME_ANON, FRAME_FILE } from "../hw/frames.js";
import {
  type AddressSpace,
  createAddressSpace,
  destroyAddressSpace,
  ensurePte,
  listMappings,
} from "../hw/pagetable.js";
import { PTE_COW, PTE_VALID, PTE_WRITE } from "../hw/pte.js";
import type { BackingFile } from "./files.js";
import type { Kernel } from "./kernel.js";
import { computeLayout, type ImageSizes, pageUp } from "./layout.js";
import { destroyIfUnused, placeMapping } from "./mm.js";
import { pteFlagsFor } from "./pagein.js";
import { Process } from "./process.js";
import { PROT_EXEC, PROT_READ, PROT_WRITE, type Vma } from "./vma.js";

/** A system call's answer: a value, or a sentence saying why it failed (the errno). */
export type SysResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

export const sysOk = <T>(value: T): SysResult<T> => ({ ok: true, value });
export const sysErr = <T>(error: string): SysResult<T> => ({ ok: false, error });

/** The first address user programs cannot use (kernel space starts there). */
export function userTopOf(k: Kernel): number {
  const f = k.hw.format;
  return f.canonical ? f.vaLimit : Math.floor((f.vaLimit * 3) / 4 / k.pageSize) * k.pageSize;
}

/** A new empty address space for `pid`, running the OOM killer if even a root table cannot be had. */
function newSpace(k: Kernel, pid: number): AddressSpace | null {
  k.tableOwner = pid;
  for (;;) {
    const space = createAddressSpace(k.hw.mem, k.hw.format, asAsid(pid), k.tableAlloc, pid);
    if (space !== null) return space;
    if (!k.oomKill()) return null;
  }
}

function addFile(k: Kernel, name: string, kind: BackingFile["kind"], size: number): number {
  const id = k.s.files.length;
  k.s.files.push({ id, name, kind, size });
  return id;
}

/** Registers a shared library of `size` bytes; its text is shared by every process mapping it. */
export function defineLibrary(k: Kernel, name: string, size: number): number {
  const id = addFile(k, `/lib/${name}.so`, "lib", size);
  k.s.libs.set(name, id);
  return id;
}

/**
 * Creates a process running a program with these image sizes, mapping the named
 * libraries. Nothing is loaded yet: every page comes in on first touch.
 */
export function spawn(
  k: Kernel,
  name: string,
  sizes: ImageSizes,
  libs: readonly string[],
): SysResult<Process> {
  const layout = computeLayout({ userTop: userTopOf(k), pageSize: k.pageSize, guardGap: k.guardGap }, sizes);
  if (typeof layout === "string") return sysErr(layout);
  for (const l of libs) if (!k.s.libs.has(l)) return sysErr(`no library named ${l}`);
  const pid = k.s.nextPid++;
  const space = newSpace(k, pid);
  if (space === null) return sysErr("out of memory: no frame for the page table");
  const path = `/bin/${name}`;
  const text = addFile(k, path, "text", sizes.text);
  const data = addFile(k, path, "data", sizes.data);
  const p = new Process(pid, name, null, space, layout, text, data);
  const ps = k.pageSize;
  const add = (v: Omit<Vma, "label"> & { label?: string | null }) => {
    if (v.end > v.start) p.vmas.insert({ label: null, ...v });
  };
  add({
    start: layout.textStart,
    end: layout.dataStart,
    prot: PROT_READ | PROT_EXEC,
    kind: "text",
    shared: false,
    backing: { kind: "file", file: text, offset: 0 },
    path,
  });
  add({
    start: layout.dataStart,
    end: layout.bssStart,
    prot: PROT_READ | PROT_WRITE,
    kind: "data",
    shared: false,
    backing: { kind: "file", file: data, offset: 0 },
    path,
  });
  add({
    start: layout.bssStart,
    end: layout.heapStart,
    prot: PROT_READ | PROT_WRITE,
    kind: "bss",
    shared: false,
    backing: { kind: "anon" },
    path: "",
  });
  add({
    start: layout.stackTop - ps,
    end: layout.stackTop,
    prot: PROT_READ | PROT_WRITE,
    kind: "stack",
    shared: false,
    backing: { kind: "anon" },
    path: "[stack]",
  });
  k.s.procs.set(pid, p);
  for (const l of libs) {
    const file = k.s.libs.get(l) as number;
    const f = k.s.files[file] as BackingFile;
    const at = placeMapping(k, p, pageUp(f.size, ps), null);
    if (!at.ok) return at;
    add({
      start: at.value,
      end: at.value + pageUp(f.size, ps),
      prot: PROT_READ | PROT_EXEC,
      kind: "lib",
      shared: false,
      backing: { kind: "file", file, offset: 0 },
      path: f.name,
      label: l,
    });
  }
  k.emit({ kind: "spawn", pid, name });
  return sysOk(p);
}

/**
 * fork(2): the child gets a copy of the parent's VMAs and page tables. Private pages are
 * shared copy-on-write (both PTEs read-only with the COW bit, the frame's map count
 * raised); shared mappings stay shared; swapped-out pages share the slot. On formats
 * without a COW bit every private page is copied at once.
 */
export function fork(k: Kernel, parent: Process, childName: string): SysResult<Process> {
  const pid = k.s.nextPid++;
  const space = newSpace(k, pid);
  if (space === null) return sysErr("out of memory: no frame for the child's page table");
  const child = new Process(
    pid,
    childName,
    parent.pid,
    space,
    parent.layout,
    parent.imageText,
    parent.imageData,
  );
  k.s.procs.set(pid, child);
  if (!parent.isRunning()) {
    abandon(k, child);
    return sysErr(`${parent.name} was killed while forking`);
  }
  child.brk = parent.brk;
  for (const v of parent.vmas.clone().all()) child.vmas.insert(v);
  for (const [n, va] of parent.shmAttach) child.shmAttach.set(n, va);
  let shared = 0;
  for (const m of listMappings(k.hw.mem, parent.space as AddressSpace)) {
    const vma = parent.vmas.find(m.va);
    if (vma === null) continue;
    k.tableOwner = pid;
    const dst = ensurePte(k.hw.mem, space, m.va, k.tableAlloc);
    if (dst === null || !parent.isRunning()) {
      abandon(k, child);
      return sysErr("out of memory while copying page tables");
    }
    // Making room for the child's tables may have evicted this very page: look again.
    const now = pteRead(k.hw.mem, k.hw.format, m.addr);
    if (now.swapSlot !== null) {
      pteWriteSwap(k.hw.mem, k.hw.format, dst, now.swapSlot);
      k.s.swap.dup(now.swapSlot);
      child.rss.swap++;
      continue;
    }
    if (!(now.flags & PTE_VALID)) continue;
    if (!copyPage(k, parent, child, vma, m.va, now.pfn, m.addr, dst)) {
      abandon(k, child);
      return sysErr("out of memory while copying pages");
    }
    shared++;
  }
  k.emit({ kind: "fork", pid: parent.pid, child: pid, name: childName, sharedPages: shared });
  return sysOk(child);
}

/** Undoes a fork that could not complete: the child's memory is returned and it never existed. */
function abandon(k: Kernel, child: Process): void {
  exitProcess(k, child, 0, null, null);
  k.s.procs.delete(child.pid);
}

/** Gives the child its view of one present parent page. False when out of memory. */
function copyPage(
  k: Kernel,
  parent: Process,
  child: Process,
  vma: Vma,
  va: number,
  pf: Pfn,
  src: PhysAddr,
  dst: PhysAddr,
): boolean {
  const mem = k.hw.mem;
  const fmt = k.hw.format;
  if (vma.shared) {
    pteWrite(mem, fmt, dst, pf, pteFlagsFor(k, vma, false));
    k.addRmap(child, pf, va, dst);
    return true;
  }
  if (fmt.caps.cow) {
    // Both sides read-only + COW: the first write from either side takes the fault.
    pteUpdateFlags(mem, fmt, src, PTE_COW, PTE_WRITE);
    k.invlpg(parent.space as AddressSpace, va);
    pteWrite(mem, fmt, dst, pf, pteFlagsFor(k, vma, true));
    k.addRmap(child, pf, va, dst);
    return true;
  }
  const copy = k.allocUserFrame();
  if (copy === null || !child.isRunning() || !parent.isRunning()) return false;
  mem.copyFrame(copy, pf);
  const use = mem.frameTable.use[pf] as number;
  mem.frameTable.setUse(copy, use === FRAME_FILE ? FRAME_ANON : use, child.pid);
  pteWrite(mem, fmt, dst, copy, pteFlagsFor(k, vma, false));
  k.addRmap(child, copy, va, dst);
  k.track(copy, k.pageKey(copy), false);
  return true;
}

/**
 * exit(2), or death by a signal: unmaps every page (frames whose last mapping this was
 * are freed), releases every swap slot, detaches shared memory, frees the page tables and
 * drops the process's TLB entries. Idempotent for a process that is already gone.
 */
export function exitProcess(
  k: Kernel,
  p: Process,
  code: number,
  signal: string | null,
  reason: string | null,
): void {
  if (p.space === null) return;
  const space = p.space;
  const freeBefore = k.freeFrames();
  const slotsBefore = k.s.swap.freeCount();
  for (const m of listMappings(k.hw.mem, space)) {
    const info = pteRead(k.hw.mem, space.format, m.addr);
    if (info.flags & PTE_VALID || info.swapSlot !== null) k.zapPte(p, m.va);
  }
  const segments = new Set<number>();
  for (const v of p.vmas.all()) if (v.backing.kind === "shm") segments.add(v.backing.segment);
  for (const v of [...p.vmas.all()]) p.vmas.remove(v);
  p.shmAttach.clear();
  k.tableOwner = p.pid;
  destroyAddressSpace(k.hw.mem, space, k.tableFree);
  if (k.hw.tlb.asidMode === "tagged") k.hw.tlb.flushAsid(space.asid);
  p.space = null;
  p.state = signal === null ? "exited" : "killed";
  p.signal = signal;
  p.reason = reason;
  p.exitCode = signal === null ? code : null;
  for (const id of segments) destroyIfUnused(k, id);
  if (k.s.current === p.pid) k.s.current = 0;
  k.emit({
    kind: "exit",
    pid: p.pid,
    code,
    signal,
    freedFrames: k.freeFrames() - freeBefore,
    freedSlots: k.s.swap.freeCount() - slotsBefore,
  });
}
