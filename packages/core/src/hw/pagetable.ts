/**
 * Page tables that live in simulated physical memory. Every table is a frame (marked
 * `FRAME_PAGE_TABLE` in the frame table) and every step of a walk reads real entry bytes.
 *
 * As in xv6's vm.c, one central walk (`findPte` / `ensurePte`) finds the leaf entry of an
 * address; map, unmap, protect and the enumerations are built on it. The kernel owns frame
 * allocation: functions that may create table pages take a `TableAlloc`, those that may
 * free them a `TableFree`.
 */
import { invariant, SimError } from "../base/errors.js";
import {
  type Asid,
  asPfn,
  asPhysAddr,
  asVirtAddr,
  type Pfn,
  type PhysAddr,
  type VirtAddr,
} from "../base/units.js";
import { entryHi, entryLo, type PteInfo, pteClear, pteRead, pteUpdateFlags, pteWrite } from "./entry.js";
import type { PageTableFormat } from "./format.js";
import { FRAME_PAGE_TABLE, NO_OWNER } from "./frames.js";
import type { PhysicalMemory } from "./memory.js";
import { PTE_VALID } from "./pte.js";

/**
 * An address space as the hardware sees it: the root table's frame (CR3 / satp) and the
 * ASID that tags its TLB entries. `owner` (a pid or `NO_OWNER`) is recorded in the frame
 * table for the table pages created for it.
 */
export interface AddressSpace {
  readonly format: PageTableFormat;
  readonly rootPfn: Pfn;
  readonly asid: Asid;
  readonly owner: number;
}

/**
 * Supplies `frames` contiguous frames for a new page-table page (1 for every preset), or
 * null when memory is exhausted. The hardware layer zeroes them and marks them
 * `FRAME_PAGE_TABLE` itself.
 */
export type TableAlloc = (frames: number) => Pfn | null;

/** Takes back `frames` contiguous table frames that the hardware layer released (already marked free). */
export type TableFree = (pfn: Pfn, frames: number) => void;

/** One mapping found by `forEachMapping`: a nonzero leaf entry and the page it maps. */
export interface Mapping extends PteInfo {
  /** First virtual address of the page. */
  readonly va: VirtAddr;
}

/** Result of `map`. */
export type MapResult = "ok" | "no-memory";

/**
 * The address bits as an unsigned number: canonical upper-half addresses (negative) are
 * folded to [2^(vaBits-1), 2^vaBits). Precondition: `fmt.vaMin <= va < fmt.vaLimit`.
 */
export function vaToUnsigned(fmt: PageTableFormat, va: number): number {
  return va < 0 ? va + 2 ** fmt.vaBits : va;
}

/** The virtual page number of `va` (negative for canonical upper-half addresses). */
export function vaToVpn(fmt: PageTableFormat, va: number): number {
  return Math.floor(va / fmt.pageSize);
}

/** Index into the level-`level` table for `va`. */
export function vaToIndex(fmt: PageTableFormat, va: number, level: number): number {
  const vpn = Math.floor(vaToUnsigned(fmt, va) / fmt.pageSize);
  return Math.floor(vpn / fmt.levelDiv[level]!) % 2 ** fmt.levelBits[level]!;
}

/** True when `va` is an integer address the format can translate. */
export function isValidVa(fmt: PageTableFormat, va: number): boolean {
  return Number.isInteger(va) && va >= fmt.vaMin && va < fmt.vaLimit;
}

function checkVa(fmt: PageTableFormat, va: number, where: string): void {
  invariant(isValidVa(fmt, va), "hw.va", `${where}: address ${va} is outside the ${fmt.name} address range`);
}

function entryAddr(fmt: PageTableFormat, tablePfn: number, index: number): PhysAddr {
  return asPhysAddr(tablePfn * fmt.pageSize + index * fmt.pteBytes);
}

/** The table an interior entry points to, after checking it lies in memory. */
function nextTable(mem: PhysicalMemory, fmt: PageTableFormat, addr: number, level: number): number {
  const pfn = fmt.codec.pfnOf(entryLo(mem, fmt, addr), entryHi(mem, fmt, addr));
  invariant(
    pfn + fmt.tableFrames[level + 1]! <= mem.frameCount,
    "hw.walk",
    `walk: interior entry at ${addr} names frame ${pfn}, outside memory`,
  );
  return pfn;
}

function newTable(mem: PhysicalMemory, space: AddressSpace, level: number, alloc: TableAlloc): number | null {
  const n = space.format.tableFrames[level]!;
  const pfn = alloc(n);
  if (pfn === null) return null;
  invariant(pfn >= 0 && pfn + n <= mem.frameCount, "hw.alloc", `table allocator returned frame ${pfn}`);
  mem.zeroFrame(pfn, n);
  mem.frameTable.setUse(pfn, FRAME_PAGE_TABLE, space.owner, n);
  return pfn;
}

/**
 * The central walk. Returns the physical address of the leaf entry for `va`. When an
 * interior entry is not valid: with `alloc` null returns null; else creates the missing
 * table (null if `alloc` fails, leaving tables created so far in place, which is
 * harmless: they are empty and `pruneTables`/`destroyAddressSpace` reclaim them).
 * `path`, when given, receives the table pfn of each level.
 */
function walkTo(
  mem: PhysicalMemory,
  space: AddressSpace,
  va: number,
  alloc: TableAlloc | null,
  path: number[] | null,
): PhysAddr | null {
  const fmt = space.format;
  const vpn = Math.floor(vaToUnsigned(fmt, va) / fmt.pageSize);
  let table: number = space.rootPfn;
  const last = fmt.levels - 1;
  for (let level = 0; ; level++) {
    if (path) path[level] = table;
    const index = Math.floor(vpn / fmt.levelDiv[level]!) % 2 ** fmt.levelBits[level]!;
    const addr = entryAddr(fmt, table, index);
    if (level === last) return addr;
    if (fmt.codec.isValid(entryLo(mem, fmt, addr), entryHi(mem, fmt, addr))) {
      table = nextTable(mem, fmt, addr, level);
      continue;
    }
    if (alloc === null) return null;
    const created = newTable(mem, space, level + 1, alloc);
    if (created === null) return null;
    pteWrite(mem, fmt, addr, created, fmt.tableFlags);
    table = created;
  }
}

/**
 * The address of the leaf entry for `va`, or null when an interior table on the way is
 * missing. Side-effect free. Precondition: `va` within the format's range.
 */
export function findPte(mem: PhysicalMemory, space: AddressSpace, va: number): PhysAddr | null {
  checkVa(space.format, va, "findPte");
  return walkTo(mem, space, va, null, null);
}

/**
 * The address of the leaf entry for `va`, creating missing interior tables with `alloc`.
 * Returns null when `alloc` returns null (out of memory); never throws for that.
 */
export function ensurePte(
  mem: PhysicalMemory,
  space: AddressSpace,
  va: number,
  alloc: TableAlloc,
): PhysAddr | null {
  checkVa(space.format, va, "ensurePte");
  return walkTo(mem, space, va, alloc, null);
}

/** The decoded leaf entry of `va`, or null when no table or a zero entry. Side-effect free. */
export function lookupPte(mem: PhysicalMemory, space: AddressSpace, va: number): PteInfo | null {
  const addr = findPte(mem, space, va);
  if (addr === null) return null;
  const info = pteRead(mem, space.format, addr);
  return info.flags === 0 && info.pfn === 0 ? null : info;
}

/**
 * Maps the page containing `va` to frame `pfn` with generic `flags` (PTE_VALID is added).
 * Returns "no-memory" when a table page could not be allocated. Mapping over a present
 * entry throws `SimError` (unmap first, as xv6's mappages insists); a swap entry may be
 * overwritten (swap-in). The caller invalidates the TLB entry if one may exist.
 */
export function mapPage(
  mem: PhysicalMemory,
  space: AddressSpace,
  va: number,
  pfn: Pfn,
  flags: number,
  alloc: TableAlloc,
): MapResult {
  const addr = ensurePte(mem, space, va, alloc);
  if (addr === null) return "no-memory";
  const fmt = space.format;
  if (fmt.codec.isValid(entryLo(mem, fmt, addr), entryHi(mem, fmt, addr)))
    throw new SimError("hw.remap", `map: ${va} is already mapped in address space ${space.asid}`);
  invariant(pfn >= 0 && pfn < mem.frameCount, "hw.pfn", `map: frame ${pfn} is outside memory`);
  pteWrite(mem, fmt, addr, pfn, flags | PTE_VALID);
  return "ok";
}

/**
 * Clears the leaf entry of `va` and returns what it held (null when there was no table or
 * the entry was already zero). With `free`, table pages left empty on the way are
 * released too. Frames and swap slots named by the entry stay the caller's to release;
 * the caller also invalidates the TLB (`invlpg`).
 */
export function unmapPage(
  mem: PhysicalMemory,
  space: AddressSpace,
  va: number,
  free?: TableFree,
): PteInfo | null {
  checkVa(space.format, va, "unmap");
  const path: number[] = [];
  const addr = walkTo(mem, space, va, null, path);
  if (addr === null) return null;
  const info = pteRead(mem, space.format, addr);
  const wasZero = entryLo(mem, space.format, addr) === 0 && entryHi(mem, space.format, addr) === 0;
  pteClear(mem, space.format, addr);
  if (free) pruneTables(mem, space, va, free);
  return wasZero ? null : info;
}

/**
 * Sets then clears generic flags in the leaf entry of `va` (mprotect, COW marking, clearing
 * the accessed bit). Returns false when the entry is zero or its table is missing. The
 * caller invalidates the TLB entry.
 */
export function protectPage(
  mem: PhysicalMemory,
  space: AddressSpace,
  va: number,
  set: number,
  clear: number,
): boolean {
  const addr = findPte(mem, space, va);
  if (addr === null) return false;
  const fmt = space.format;
  if (entryLo(mem, fmt, addr) === 0 && entryHi(mem, fmt, addr) === 0) return false;
  pteUpdateFlags(mem, fmt, addr, set, clear);
  return true;
}

function tableIsEmpty(mem: PhysicalMemory, fmt: PageTableFormat, pfn: number, level: number): boolean {
  const start = pfn * fmt.pageSize;
  const end = start + 2 ** fmt.levelBits[level]! * fmt.pteBytes;
  for (let i = start; i < end; i++) if (mem.u8[i] !== 0) return false;
  return true;
}

function releaseTable(
  mem: PhysicalMemory,
  fmt: PageTableFormat,
  pfn: number,
  level: number,
  free: TableFree,
): void {
  const n = fmt.tableFrames[level]!;
  mem.frameTable.release(asPfn(pfn), n);
  free(asPfn(pfn), n);
}

/**
 * Frees the table pages on the path of `va` that hold no entries any more, bottom-up,
 * clearing their parent entries. The root is never freed. Returns the number freed.
 */
export function pruneTables(mem: PhysicalMemory, space: AddressSpace, va: number, free: TableFree): number {
  const fmt = space.format;
  const path: number[] = [];
  walkTo(mem, space, va, null, path);
  let freed = 0;
  for (let level = path.length - 1; level >= 1; level--) {
    const table = path[level]!;
    if (!tableIsEmpty(mem, fmt, table, level)) break;
    const parentIndex = vaToIndex(fmt, va, level - 1);
    pteClear(mem, fmt, entryAddr(fmt, path[level - 1]!, parentIndex));
    releaseTable(mem, fmt, table, level, free);
    freed++;
  }
  return freed;
}

function pageVa(fmt: PageTableFormat, vpnUnsigned: number): VirtAddr {
  const u = vpnUnsigned * fmt.pageSize;
  return asVirtAddr(fmt.canonical && u >= fmt.vaLimit ? u - 2 ** fmt.vaBits : u);
}

function visit(
  mem: PhysicalMemory,
  fmt: PageTableFormat,
  table: number,
  level: number,
  vpnBase: number,
  fn: (m: Mapping) => void,
): void {
  const entries = 2 ** fmt.levelBits[level]!;
  const last = level === fmt.levels - 1;
  for (let i = 0; i < entries; i++) {
    const addr = entryAddr(fmt, table, i);
    const lo = entryLo(mem, fmt, addr);
    const hi = entryHi(mem, fmt, addr);
    if (lo === 0 && hi === 0) continue;
    const vpn = vpnBase + i * fmt.levelDiv[level]!;
    if (last) fn({ ...pteRead(mem, fmt, addr), va: pageVa(fmt, vpn) });
    else if (fmt.codec.isValid(lo, hi)) visit(mem, fmt, nextTable(mem, fmt, addr, level), level + 1, vpn, fn);
  }
}

/**
 * Calls `fn` for every nonzero leaf entry (present pages and swap entries), in increasing
 * unsigned address order. For /proc views and for fork's copy. `fn` must not change the
 * tables it is walking (collect first, then change).
 */
export function forEachMapping(mem: PhysicalMemory, space: AddressSpace, fn: (m: Mapping) => void): void {
  visit(mem, space.format, space.rootPfn, 0, 0, fn);
}

/** Every nonzero leaf entry, as `forEachMapping` visits them. */
export function listMappings(mem: PhysicalMemory, space: AddressSpace): Mapping[] {
  const out: Mapping[] = [];
  forEachMapping(mem, space, (m) => out.push(m));
  return out;
}

function collectTables(
  mem: PhysicalMemory,
  fmt: PageTableFormat,
  table: number,
  level: number,
  out: Pfn[],
): void {
  out.push(asPfn(table));
  if (level === fmt.levels - 1) return;
  const entries = 2 ** fmt.levelBits[level]!;
  for (let i = 0; i < entries; i++) {
    const addr = entryAddr(fmt, table, i);
    if (fmt.codec.isValid(entryLo(mem, fmt, addr), entryHi(mem, fmt, addr)))
      collectTables(mem, fmt, nextTable(mem, fmt, addr, level), level + 1, out);
  }
}

/** The first frame of every table page of the space, root first (depth-first order). */
export function tablePages(mem: PhysicalMemory, space: AddressSpace): Pfn[] {
  const out: Pfn[] = [];
  collectTables(mem, space.format, space.rootPfn, 0, out);
  return out;
}

/**
 * Creates an empty address space: allocates and zeroes the root table. Returns null when
 * `alloc` fails. `owner` is recorded for the table frames (default `NO_OWNER`).
 */
export function createAddressSpace(
  mem: PhysicalMemory,
  format: PageTableFormat,
  asid: Asid,
  alloc: TableAlloc,
  owner: number = NO_OWNER,
): AddressSpace | null {
  invariant(
    mem.pageSize === format.pageSize,
    "hw.format",
    "createAddressSpace: page size differs from memory's",
  );
  const partial = { format, rootPfn: asPfn(0), asid, owner };
  const root = newTable(mem, partial, 0, alloc);
  return root === null ? null : { format, rootPfn: asPfn(root), asid, owner };
}

/**
 * Frees every table page of the space, root included, through `free`. The frames mapped
 * by leaf entries are not touched: release them first (see `forEachMapping`). Returns the
 * number of table pages freed. The space must not be used afterwards.
 */
export function destroyAddressSpace(mem: PhysicalMemory, space: AddressSpace, free: TableFree): number {
  const fmt = space.format;
  const levels: number[] = [];
  const tables: Pfn[] = [];
  const walk = (table: number, level: number) => {
    if (level < fmt.levels - 1) {
      for (let i = 0; i < 2 ** fmt.levelBits[level]!; i++) {
        const addr = entryAddr(fmt, table, i);
        if (fmt.codec.isValid(entryLo(mem, fmt, addr), entryHi(mem, fmt, addr)))
          walk(nextTable(mem, fmt, addr, level), level + 1);
      }
    }
    tables.push(asPfn(table));
    levels.push(level);
  };
  walk(space.rootPfn, 0);
  for (let i = 0; i < tables.length; i++) {
    mem.zeroFrame(tables[i]!, fmt.tableFrames[levels[i]!]!);
    releaseTable(mem, fmt, tables[i]!, levels[i]!, free);
  }
  return tables.length;
}
