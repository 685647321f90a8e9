/**
 * Inspection without side effects: the walk report for visualisation and the answer a
 * translation would give. Nothing here sets accessed/dirty bits, fills or reorders the
 * TLB, counts, or emits events (the web lab and `/proc` views call these freely).
 */
import { asPfn, asPhysAddr, asVirtAddr, type Pfn, type PhysAddr } from "../base/units.js";
import { entryHi, entryLo, pteHex } from "./entry.js";
import type { Access, Fault, Mode } from "./events.js";
import type { PhysicalMemory } from "./memory.js";
import type { Translation } from "./mmu.js";
import { type AddressSpace, vaToUnsigned } from "./pagetable.js";
import { missingRight, rightsNeeded } from "./rights.js";
import { TLB_MISS, type Tlb } from "./tlb.js";

/** One level of a walk report. */
export interface WalkStep {
  /** 0 = root. */
  readonly level: number;
  readonly index: number;
  readonly entryAddr: PhysAddr;
  /** The native entry as zero-padded hex. */
  readonly entry: string;
  readonly value: bigint;
  readonly valid: boolean;
  /** Generic flags of the entry. */
  readonly flags: number;
  /** The pfn field: next table, or the page's frame at the last level. */
  readonly pfn: Pfn;
}

/**
 * The page walk for `va`, one step per level down to the leaf, the first invalid entry,
 * or an interior entry naming a table outside memory. Precondition: `va` within range.
 */
export function walkReport(mem: PhysicalMemory, space: AddressSpace, va: number): WalkStep[] {
  const fmt = space.format;
  const steps: WalkStep[] = [];
  const uvpn = Math.floor(vaToUnsigned(fmt, va) / fmt.pageSize);
  let table: number = space.rootPfn;
  for (let level = 0; level < fmt.levels; level++) {
    const index = Math.floor(uvpn / fmt.levelDiv[level]!) % 2 ** fmt.levelBits[level]!;
    const addr = asPhysAddr(table * fmt.pageSize + index * fmt.pteBytes);
    const lo = entryLo(mem, fmt, addr);
    const hi = entryHi(mem, fmt, addr);
    const valid = fmt.codec.isValid(lo, hi);
    const pfn = asPfn(fmt.codec.pfnOf(lo, hi));
    const value = (BigInt(hi) << 32n) | BigInt(lo);
    steps.push({
      level,
      index,
      entryAddr: addr,
      entry: pteHex(mem, fmt, addr),
      value,
      valid,
      flags: fmt.codec.flagsOf(lo, hi),
      pfn,
    });
    if (!valid || (level + 1 < fmt.levels && pfn + fmt.tableFrames[level + 1]! > mem.frameCount)) break;
    table = pfn;
  }
  return steps;
}

/**
 * What the MMU would answer for this access: the TLB's entry when it holds one with the
 * rights, else the walk's verdict. `tlbHit` says which. Side-effect free.
 */
export function peekTranslation(
  mem: PhysicalMemory,
  tlb: Tlb,
  space: AddressSpace,
  va: number,
  access: Access,
  mode: Mode,
): Translation {
  const fmt = space.format;
  const fault = (f: Fault): Translation => ({ kind: "fault", fault: f, va: asVirtAddr(va), access, mode });
  if (!(va >= fmt.vaMin && va < fmt.vaLimit))
    return fault({ kind: fmt.canonical ? "non-canonical" : "out-of-range" });
  const vpn = Math.floor(va / fmt.pageSize);
  const offset = va - vpn * fmt.pageSize;
  const need = rightsNeeded(access, mode);
  const slot = tlb.lookup(vpn, space.asid);
  if (slot !== TLB_MISS && (tlb.flags[slot]! & need) === need) {
    const pfn = tlb.pfn[slot]!;
    return { kind: "ok", pa: asPhysAddr(pfn * fmt.pageSize + offset), pfn: asPfn(pfn), tlbHit: true };
  }
  const steps = walkReport(mem, space, va);
  const leaf = steps[steps.length - 1]!;
  if (!leaf.valid || steps.length < fmt.levels)
    return fault({
      kind: "not-present",
      level: leaf.level,
      pteAddr: leaf.level === fmt.levels - 1 ? leaf.entryAddr : null,
    });
  const missing = need & ~leaf.flags;
  if (missing) return fault({ kind: "protection", right: missingRight(missing), pteAddr: leaf.entryAddr });
  return { kind: "ok", pa: asPhysAddr(leaf.pfn * fmt.pageSize + offset), pfn: leaf.pfn, tlbHit: false };
}
