/**
 * /proc views in Linux's formats (fs/proc/task_mmu.c, fs/proc/meminfo.c, proc(5)):
 * `/proc/PID/maps`, `/proc/PID/status` (memory lines), `/proc/PID/smaps` (Rss, Pss…) and
 * `/proc/meminfo`. Read-only: nothing here touches accessed bits or the policy.
 */
import { FRAME_FILE, FRAME_PAGE_TABLE, FRAME_SHARED } from "../hw/frames.js";
import { listMappings, tablePages } from "../hw/pagetable.js";
import { PTE_ACCESSED, PTE_DIRTY, PTE_VALID } from "../hw/pte.js";
import type { Kernel } from "./kernel.js";
import type { Process } from "./process.js";
import { protString, type Vma } from "./vma.js";

/** Unsigned hex of an address, at least 8 digits (Linux's %08lx). */
function addr(n: number): string {
  return n.toString(16).padStart(8, "0");
}

/** `name:\t%8lu kB` as /proc/PID/status prints memory lines. */
function statusLine(name: string, kb: number): string {
  return `${name}:\t${String(Math.floor(kb)).padStart(8)} kB`;
}

/** `%-16s%8lu kB` as smaps and meminfo print (name padded to 16, value to 8). */
function kbLine(name: string, kb: number): string {
  return `${`${name}:`.padEnd(16)}${String(Math.floor(kb)).padStart(8)} kB`;
}

function deviceAndInode(v: Vma): [string, number] {
  if (v.backing.kind === "file") return ["08:01", 1000 + v.backing.file];
  if (v.backing.kind === "shm") return ["00:01", v.backing.segment];
  return ["00:00", 0];
}

/**
 * The pathname column of a VMA: its path (a file, `[heap]`, `[stack]`); else, for a
 * labelled mapping, a bracketed label as is (`[pymalloc]`) or any other label as Linux
 * shows a named anonymous mapping (`[anon:NAME]`, prctl PR_SET_VMA_ANON_NAME); else empty.
 */
export function mapsName(v: Vma): string {
  if (v.path !== "" || v.label === null || v.label === "") return v.path;
  return v.label.startsWith("[") ? v.label : `[anon:${v.label}]`;
}

/** One maps line: `start-end perms offset dev inode`, the pathname padded to column 74. */
export function mapsLine(v: Vma): string {
  const offset = v.backing.kind === "anon" ? 0 : v.backing.offset;
  const [dev, inode] = deviceAndInode(v);
  const head = `${addr(v.start)}-${addr(v.end)} ${protString(v.prot, v.shared)} ${addr(offset)} ${dev} ${inode}`;
  const name = mapsName(v);
  return name === "" ? head : `${head.padEnd(72)} ${name}`;
}

/** /proc/PID/maps. */
export function procMaps(p: Process): string {
  return p.vmas
    .all()
    .map((v) => `${mapsLine(v)}\n`)
    .join("");
}

/** Resident and proportional figures of the pages of one VMA (in pages). */
interface VmaUsage {
  rss: number;
  pss: number;
  sharedClean: number;
  sharedDirty: number;
  privateClean: number;
  privateDirty: number;
  referenced: number;
  anonymous: number;
  swap: number;
}

function usage(k: Kernel, p: Process, v: Vma): VmaUsage {
  const u: VmaUsage = {
    rss: 0,
    pss: 0,
    sharedClean: 0,
    sharedDirty: 0,
    privateClean: 0,
    privateDirty: 0,
    referenced: 0,
    anonymous: 0,
    swap: 0,
  };
  if (p.space === null) return u;
  const ft = k.hw.mem.frameTable;
  for (const m of listMappings(k.hw.mem, p.space)) {
    if (m.va < v.start || m.va >= v.end) continue;
    if (m.swapSlot !== null) {
      u.swap++;
      continue;
    }
    if (!(m.flags & PTE_VALID)) continue;
    const maps = Math.max(1, ft.mapCount[m.pfn] as number);
    const dirty = (m.flags & PTE_DIRTY) !== 0;
    u.rss++;
    u.pss += 1 / maps;
    if (maps > 1 && dirty) u.sharedDirty++;
    else if (maps > 1) u.sharedClean++;
    else if (dirty) u.privateDirty++;
    else u.privateClean++;
    if (m.flags & PTE_ACCESSED) u.referenced++;
    const use = ft.use[m.pfn];
    if (use !== FRAME_FILE && use !== FRAME_SHARED) u.anonymous++;
  }
  return u;
}

/** /proc/PID/smaps: each maps line followed by its memory figures. */
export function procSmaps(k: Kernel, p: Process): string {
  const kb = k.pageSize / 1024;
  const lines: string[] = [];
  for (const v of p.vmas.all()) {
    const u = usage(k, p, v);
    lines.push(
      mapsLine(v),
      kbLine("Size", (v.end - v.start) / 1024),
      kbLine("KernelPageSize", kb),
      kbLine("MMUPageSize", kb),
      kbLine("Rss", u.rss * kb),
      kbLine("Pss", u.pss * kb),
      kbLine("Shared_Clean", u.sharedClean * kb),
      kbLine("Shared_Dirty", u.sharedDirty * kb),
      kbLine("Private_Clean", u.privateClean * kb),
      kbLine("Private_Dirty", u.privateDirty * kb),
      kbLine("Referenced", u.referenced * kb),
      kbLine("Anonymous", u.anonymous * kb),
      kbLine("Swap", u.swap * kb),
    );
  }
  return lines.map((l) => `${l}\n`).join("");
}

/** Proportional set size of the whole process, in pages (may be fractional). */
export function pssPages(k: Kernel, p: Process): number {
  let pss = 0;
  for (const v of p.vmas.all()) pss += usage(k, p, v).pss;
  return pss;
}

function sizeOf(p: Process, pred: (v: Vma) => boolean): number {
  let n = 0;
  for (const v of p.vmas.all()) if (pred(v)) n += v.end - v.start;
  return n;
}

/** /proc/PID/status: identity and the memory lines (VmSize, VmRSS, RssAnon, RssFile, RssShmem, VmSwap…). */
export function procStatus(k: Kernel, p: Process): string {
  const kb = k.pageSize / 1024;
  const state = p.isRunning() ? "R (running)" : "Z (zombie)";
  const pte = p.space === null ? 0 : tablePages(k.hw.mem, p.space).length * kb;
  const lines = [
    `Name:\t${p.name}`,
    `State:\t${state}`,
    `Pid:\t${p.pid}`,
    `PPid:\t${p.parent ?? 0}`,
    statusLine("VmSize", p.vmSize() / 1024),
    statusLine("VmHWM", p.hwm * kb),
    statusLine("VmRSS", p.rssPages() * kb),
    statusLine("RssAnon", p.rss.anon * kb),
    statusLine("RssFile", p.rss.file * kb),
    statusLine("RssShmem", p.rss.shmem * kb),
    statusLine(
      "VmData",
      sizeOf(p, (v) => v.kind === "data" || v.kind === "bss" || v.kind === "heap" || v.kind === "mmap-anon") /
        1024,
    ),
    statusLine("VmStk", sizeOf(p, (v) => v.kind === "stack") / 1024),
    statusLine("VmExe", sizeOf(p, (v) => v.kind === "text") / 1024),
    statusLine("VmLib", sizeOf(p, (v) => v.kind === "lib") / 1024),
    statusLine("VmPTE", pte),
    statusLine("VmSwap", p.rss.swap * kb),
  ];
  return lines.map((l) => `${l}\n`).join("");
}

/** /proc/meminfo (the lines memsim can know). */
export function procMeminfo(k: Kernel): string {
  const kb = k.pageSize / 1024;
  const ft = k.hw.mem.frameTable;
  let anon = 0;
  let file = 0;
  let shmem = 0;
  let tables = 0;
  let mapped = 0;
  for (let pfn = 0; pfn < ft.count; pfn++) {
    const use = ft.use[pfn] as number;
    if (use === FRAME_PAGE_TABLE) tables++;
    else if (use === FRAME_FILE) file++;
    else if (use === FRAME_SHARED) shmem++;
    else if (use !== 0) anon++;
    if (
      use !== FRAME_PAGE_TABLE &&
      (ft.mapCount[pfn] as number) > 0 &&
      (use === FRAME_FILE || use === FRAME_SHARED)
    )
      mapped++;
  }
  const free = k.freeFrames();
  const swap = k.s.swap;
  const lines = [
    kbLine("MemTotal", ft.count * kb),
    kbLine("MemFree", free * kb),
    kbLine("MemAvailable", (free + file) * kb),
    kbLine("Buffers", 0),
    kbLine("Cached", (file + shmem) * kb),
    kbLine("SwapCached", 0),
    kbLine("SwapTotal", swap.slots * kb),
    kbLine("SwapFree", swap.freeCount() * kb),
    kbLine("AnonPages", anon * kb),
    kbLine("Mapped", mapped * kb),
    kbLine("Shmem", shmem * kb),
    kbLine("PageTables", tables * kb),
  ];
  return lines.map((l) => `${l}\n`).join("");
}
