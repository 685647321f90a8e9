/**
 * Reading and writing one page-table entry at a physical address, in the format's native
 * layout, through generic flags (`PTE_*`) and a pfn. These are the only functions that
 * touch native entry bits; the walk, the MMU and the kernel go through them.
 */
import { invariant, SimError } from "../base/errors.js";
import { asPfn, asSwapSlot, type Pfn, type PhysAddr, type SwapSlot } from "../base/units.js";
import type { PageTableFormat } from "./format.js";
import type { PhysicalMemory } from "./memory.js";
import { PTE_COW, PTE_SWAPPED, PTE_VALID } from "./pte.js";

/** A decoded entry. `pfn` is the swap slot's field value when the entry is swapped out. */
export interface PteInfo {
  /** Physical address of the entry. */
  readonly addr: PhysAddr;
  /** Generic flags (`PTE_*`), implied bits included for valid entries. */
  readonly flags: number;
  /** The frame the entry names (meaningful when `PTE_VALID`). */
  readonly pfn: Pfn;
  /** The swap slot, when the entry is a non-present swap entry; else null. */
  readonly swapSlot: SwapSlot | null;
}

/** Low 32 bits of the native entry at `addr` (the whole entry for 1- and 4-byte formats). */
export function entryLo(mem: PhysicalMemory, fmt: PageTableFormat, addr: number): number {
  return fmt.pteBytes === 1 ? mem.u8[addr]! : mem.u32[addr >>> 2]!;
}

/** High 32 bits of an 8-byte native entry; 0 for narrower formats. */
export function entryHi(mem: PhysicalMemory, fmt: PageTableFormat, addr: number): number {
  return fmt.pteBytes === 8 ? mem.u32[(addr >>> 2) + 1]! : 0;
}

/** Stores a native entry given as two 32-bit halves. */
export function storeEntry(
  mem: PhysicalMemory,
  fmt: PageTableFormat,
  addr: number,
  lo: number,
  hi: number,
): void {
  if (fmt.pteBytes === 1) mem.u8[addr] = lo;
  else {
    mem.u32[addr >>> 2] = lo;
    if (fmt.pteBytes === 8) mem.u32[(addr >>> 2) + 1] = hi;
  }
}

/** The raw native entry as a bigint (for display: walk reports, /proc views). */
export function pteRaw(mem: PhysicalMemory, fmt: PageTableFormat, addr: PhysAddr): bigint {
  return (BigInt(entryHi(mem, fmt, addr)) << 32n) | BigInt(entryLo(mem, fmt, addr));
}

/** The raw entry as zero-padded hex of the entry's width, e.g. `0x0000000000003027`. */
export function pteHex(mem: PhysicalMemory, fmt: PageTableFormat, addr: PhysAddr): string {
  return (
    "0x" +
    pteRaw(mem, fmt, addr)
      .toString(16)
      .padStart(fmt.pteBytes * 2, "0")
  );
}

/** Decodes the entry at `addr`. */
export function pteRead(mem: PhysicalMemory, fmt: PageTableFormat, addr: PhysAddr): PteInfo {
  const lo = entryLo(mem, fmt, addr);
  const hi = entryHi(mem, fmt, addr);
  const flags = fmt.codec.flagsOf(lo, hi);
  const field = fmt.codec.pfnOf(lo, hi);
  const swapped = !(flags & PTE_VALID) && (flags & PTE_SWAPPED) !== 0;
  return { addr, flags, pfn: asPfn(field), swapSlot: swapped ? asSwapSlot(field) : null };
}

/** Generic flags of the entry at `addr`. */
export function pteFlags(mem: PhysicalMemory, fmt: PageTableFormat, addr: PhysAddr): number {
  return fmt.codec.flagsOf(entryLo(mem, fmt, addr), entryHi(mem, fmt, addr));
}

/** The pfn field of the entry at `addr`. */
export function ptePfn(mem: PhysicalMemory, fmt: PageTableFormat, addr: PhysAddr): Pfn {
  return asPfn(fmt.codec.pfnOf(entryLo(mem, fmt, addr), entryHi(mem, fmt, addr)));
}

/** True when the entry at `addr` is all zero (never mapped, or cleared). */
export function pteIsNone(mem: PhysicalMemory, fmt: PageTableFormat, addr: PhysAddr): boolean {
  return entryLo(mem, fmt, addr) === 0 && entryHi(mem, fmt, addr) === 0;
}

/**
 * Writes an entry naming `pfn` with generic `flags`. Flags the format implies (R on x86)
 * or cannot store for hardware reasons (A, D, G on a 1-byte entry) are dropped; asking for
 * COW or SWAPPED on a format without them throws `SimError` (the kernel must check
 * `format.caps` first). Precondition: pfn fits the pfn field.
 */
export function pteWrite(
  mem: PhysicalMemory,
  fmt: PageTableFormat,
  addr: PhysAddr,
  pfn: number,
  flags: number,
): void {
  if (flags & PTE_COW && !fmt.caps.cow)
    throw new SimError("hw.caps", `format ${fmt.name} has no copy-on-write bit`);
  if (flags & PTE_SWAPPED && !fmt.caps.swap)
    throw new SimError("hw.caps", `format ${fmt.name} cannot hold swap entries`);
  invariant(
    Number.isInteger(pfn) && pfn >= 0 && pfn < fmt.maxFrames,
    "hw.pfn",
    `pteWrite: ${pfn} does not fit the ${fmt.layout.pfnBits}-bit pfn field of ${fmt.name}`,
  );
  storeEntry(mem, fmt, addr, fmt.codec.encodeLo(pfn, flags), fmt.codec.encodeHi(pfn, flags));
}

/**
 * Writes a non-present swap entry: SWAPPED set, slot in the pfn field, plus any other
 * non-valid generic `flags` the kernel wants to keep (e.g. PTE_WRITE as a reminder).
 * Throws `SimError` on formats without swap entries (`caps.swap` false).
 */
export function pteWriteSwap(
  mem: PhysicalMemory,
  fmt: PageTableFormat,
  addr: PhysAddr,
  slot: SwapSlot,
  flags = 0,
): void {
  pteWrite(mem, fmt, addr, slot, (flags & ~PTE_VALID) | PTE_SWAPPED);
}

/** Zeroes the entry at `addr`. */
export function pteClear(mem: PhysicalMemory, fmt: PageTableFormat, addr: PhysAddr): void {
  storeEntry(mem, fmt, addr, 0, 0);
}

/** Sets then clears generic flags in the entry at `addr`, keeping its pfn field. */
export function pteUpdateFlags(
  mem: PhysicalMemory,
  fmt: PageTableFormat,
  addr: PhysAddr,
  set: number,
  clear: number,
): void {
  const lo = entryLo(mem, fmt, addr);
  const hi = entryHi(mem, fmt, addr);
  const flags = (fmt.codec.flagsOf(lo, hi) | set) & ~clear;
  pteWrite(mem, fmt, addr, fmt.codec.pfnOf(lo, hi), flags);
}
