/**
 * The MMU: translates a virtual address in an address space for an access, through the TLB
 * and, on a miss, a page walk that reads real entries from physical memory. It sets the
 * accessed and dirty bits as x86 hardware does and reports faults for the kernel to handle
 * (the kernel then retries the access).
 *
 * Two ways to call it:
 * - `translate(...)` returns a tagged `Translation` (allocates one small object).
 * - `translateFast(...)` returns the physical address, or `FAULT` (-1) with the details left
 *   in the MMU's `fault*` fields; it allocates nothing, for trace replay and benchmarks.
 *
 * Rules modelled: rights are checked at the leaf (interior x86 entries grant everything,
 * as Linux sets them); user mode needs U; kernel mode may touch user pages (no SMAP/SMEP)
 * but respects W (CR0.WP = 1). A write through a TLB entry cached without D walks again to
 * set D in memory, as Intel CPUs do. After the kernel changes an entry (unmap, protect,
 * clearing A or D) it must `invlpg`, as on real hardware.
 */
import { SimError } from "../base/errors.js";
import type { EventSink } from "../base/events.js";
import {
  type Asid,
  asAsid,
  asPfn,
  asPhysAddr,
  asVirtAddr,
  asVpn,
  type Pfn,
  type PhysAddr,
  type VirtAddr,
} from "../base/units.js";
import { pteHex } from "./entry.js";
import type { Access, Fault, FaultKind, HwEvent, Mode, Right } from "./events.js";
import type { PageTableFormat } from "./format.js";
import { peekTranslation, type WalkStep, walkReport } from "./inspect.js";
import type { PhysicalMemory } from "./memory.js";
import type { AddressSpace } from "./pagetable.js";
import { PTE_ACCESSED, PTE_DIRTY, PTE_EXEC, PTE_VALID } from "./pte.js";
import { missingRight, rightsNeeded } from "./rights.js";
import { TLB_MISS, type Tlb } from "./tlb.js";

/** `translateFast`'s result on a fault. */
export const FAULT = -1;

/** The outcome of a translation. */
export type Translation =
  | { readonly kind: "ok"; readonly pa: PhysAddr; readonly pfn: Pfn; readonly tlbHit: boolean }
  | {
      readonly kind: "fault";
      readonly fault: Fault;
      readonly va: VirtAddr;
      readonly access: Access;
      readonly mode: Mode;
    };

const NO_PTE = -1;
/** `translateSlow`'s `known` when the fast case did not search the TLB. */
const NOT_LOOKED_UP = -2;

export class Mmu {
  readonly format: PageTableFormat;
  readonly mem: PhysicalMemory;
  readonly tlb: Tlb;
  sink: EventSink<HwEvent> | null = null;

  /** Page walks done (TLB misses, dirty-bit walks). */
  walks = 0;
  /** Faults reported. */
  faults = 0;

  // Details of the last translateFast. Valid until the next call.
  /** Kind of the last fault, or null after a successful translation. */
  faultKind: FaultKind | null = null;
  /** The missing right of the last protection fault. */
  faultRight: Right | null = null;
  /** Level of the invalid entry of the last not-present fault. */
  faultLevel = 0;
  /** Leaf entry address of the last not-present/protection fault, or -1. */
  faultPteAddr = NO_PTE;
  /** Whether the last successful translation hit the TLB. */
  tlbHit = false;
  /** Frame of the last successful translation. */
  lastPfn = 0;

  private current: AddressSpace | null = null;
  /** Root frame of the current space (-1 before any); kept in snapshots. */
  currentRoot = -1;
  /** The leaf entry words read by the last successful walk. */
  private leafLo = 0;
  private leafHi = 0;
  private readonly invPage: number;
  private readonly vpnSpan: number;
  private readonly aLo: number;
  private readonly dLo: number;
  private readonly levelMul: Float64Array;
  private readonly levelMask: Int32Array;
  // The format's entry geometry, copied here so the walk reads own fields only.
  private readonly pageShift: number;
  private readonly pageMask: number;
  private readonly vaMin: number;
  private readonly vaLimit: number;
  /** Addresses below this take the inline case of `translateFast`: min(vaLimit, 2^31). */
  private readonly fastLimit: number;
  /** Cached flags that let a write through without walking: D, or V when the format has no D. */
  private readonly writeOk: number;
  private readonly pteBytes: number;
  private readonly levels: number;
  private readonly validLo: number;
  private readonly validHi: number;
  private readonly pfnShift: number;
  private readonly loMaskPfn: number;
  private readonly hiMaskPfn: number;
  // The codec's flag-decoding table (see PteCodec.flagsOf), copied for the walk.
  private readonly flagTable: Int32Array;
  private readonly flagShift: number;
  private readonly flagMask: number;
  private readonly flagSlow: boolean;
  private readonly nxHi: number;
  /** Per level: the vpn shift for vpns below 2^31 (31 when the index is then always 0). */
  private readonly quietShift: Int32Array;
  /** The accessed bit in interior entries (x86), else 0. */
  private readonly interiorA: number;
  /** Generic flags a fill adds after a read / a write: A, and D for a write, when the format has them. */
  private readonly cachedRead: number;
  private readonly cachedWrite: number;
  /** Highest pfn a table may start at, per level. */
  private readonly tableLimit: Int32Array;
  /** Per level: the index's vpn shift when its bits lie below bit 31 (int math), else -1. */
  private readonly levelIntShift: Int32Array;

  constructor(mem: PhysicalMemory, tlb: Tlb, format: PageTableFormat) {
    this.mem = mem;
    this.tlb = tlb;
    this.format = format;
    this.invPage = 1 / format.pageSize;
    this.vpnSpan = 2 ** (format.vaBits - format.pageShift);
    this.aLo = format.codec.loBit(PTE_ACCESSED);
    this.dLo = format.codec.loBit(PTE_DIRTY);
    this.writeOk = this.dLo !== 0 ? PTE_DIRTY : PTE_VALID;
    this.levelMul = Float64Array.from(format.levelDiv, (d) => 1 / d);
    this.levelMask = Int32Array.from(format.levelBits, (b) => 2 ** b - 1);
    const codec = format.codec;
    this.pageShift = format.pageShift;
    this.pageMask = format.pageSize - 1;
    this.vaMin = format.vaMin;
    this.vaLimit = format.vaLimit;
    this.fastLimit = Math.min(format.vaLimit, 2 ** 31);
    this.pteBytes = format.pteBytes;
    this.levels = format.levels;
    this.validLo = codec.validLo;
    this.validHi = codec.validHi;
    this.pfnShift = format.layout.pfnShift;
    this.loMaskPfn = codec.loMaskPfn;
    this.hiMaskPfn = codec.hiMaskPfn;
    this.flagTable = codec.table;
    this.flagShift = codec.winShift;
    this.flagMask = codec.winMask;
    this.flagSlow = codec.slowOnly;
    this.nxHi = codec.nxHi;
    this.tableLimit = Int32Array.from(format.tableFrames, (n) => mem.frameCount - n);
    this.quietShift = Int32Array.from(format.levelShift, (sh) => Math.min(sh, 31));
    this.interiorA = format.interiorAccessed ? this.aLo : 0;
    this.cachedRead = this.aLo ? PTE_ACCESSED : 0;
    this.cachedWrite = this.cachedRead | (this.dLo ? PTE_DIRTY : 0);
    this.levelIntShift = Int32Array.from(format.levelShift, (sh, l) =>
      sh + format.levelBits[l]! <= 31 ? sh : -1,
    );
  }

  /** The space of the last translation or `switchTo`. */
  get currentSpace(): AddressSpace | null {
    return this.current;
  }

  /**
   * Makes `space` current (loading CR3/satp). When the root table or the ASID differs from
   * the current one, the TLB is told; in flush mode it drops its non-global entries.
   */
  switchTo(space: AddressSpace): void {
    const changed = space.rootPfn !== this.currentRoot || space.asid !== this.tlb.currentAsid;
    this.current = space;
    this.currentRoot = space.rootPfn;
    if (changed) this.tlb.switchAsid(space.asid, true);
  }

  /**
   * Forgets the current space object (after a restore). `currentRoot` and the TLB's ASID
   * stay, so translating in the same space again does not count as a switch.
   */
  forgetSpace(): void {
    this.current = null;
  }

  /** Drops the TLB entry of the page containing `va` in `space`. */
  invlpg(space: AddressSpace, va: number): void {
    this.tlb.invlpg(space.asid, Math.floor(va * this.invPage));
  }

  /**
   * Translates `va` for `access` in `mode`. Returns the physical address, or `FAULT` with
   * `faultKind`, `faultRight`, `faultLevel`, `faultPteAddr` describing it. Translating in a
   * space other than the current one switches to it first. Precondition: `va` is an integer.
   */
  translateFast(space: AddressSpace, va: number, access: Access, mode: Mode): number {
    // The common case, kept small so that it inlines into callers' loops: the current
    // space, an address below 2^31, a TLB entry with the rights (and D for a write).
    if (space === this.current && va >= 0 && va < this.fastLimit) {
      const tlb = this.tlb;
      const vpn = va >>> this.pageShift;
      const slot = tlb.lookup(vpn, space.asid);
      if (slot !== TLB_MISS) {
        const flags = tlb.flags[slot]!;
        const need = rightsNeeded(access, mode);
        if ((flags & need) === need && (access !== "write" || (flags & this.writeOk) !== 0)) {
          tlb.hits++;
          tlb.touch(slot);
          const pfn = tlb.pfn[slot]!;
          this.faultKind = null;
          this.tlbHit = true;
          this.lastPfn = pfn;
          if (this.sink !== null) this.emitHit(space, vpn, pfn, slot);
          // Memory is at most 2^31 bytes: the physical address is an int32.
          return (pfn << this.pageShift) + (va & this.pageMask);
        }
        return this.translateSlow(space, va, access, mode, slot);
      }
      return this.translateMiss(space, va, vpn, va & this.pageMask, access, mode);
    }
    return this.translateSlow(space, va, access, mode, NOT_LOOKED_UP);
  }

  /**
   * Everything `translateFast`'s inline case does not cover. `known` is the TLB slot the
   * fast case found (or TLB_MISS), or NOT_LOOKED_UP.
   */
  private translateSlow(space: AddressSpace, va: number, access: Access, mode: Mode, known: number): number {
    if (space !== this.current) this.switchTo(space);
    if (!(va >= this.vaMin && va < this.vaLimit)) return this.badAddress(space, va, access, mode);
    let vpn: number;
    let offset: number;
    if (va >= 0 && va <= 0x7fffffff) {
      vpn = va >>> this.pageShift;
      offset = va & this.pageMask;
    } else {
      vpn = Math.floor(va * this.invPage);
      offset = (va - vpn * this.format.pageSize) | 0;
    }
    const need = rightsNeeded(access, mode);
    const tlb = this.tlb;
    const slot = known === NOT_LOOKED_UP ? tlb.lookup(vpn, space.asid) : known;
    if (slot !== TLB_MISS) {
      const flags = tlb.flags[slot]!;
      tlb.hits++;
      tlb.touch(slot);
      const pfn = tlb.pfn[slot]!;
      if (this.sink !== null) this.emitHit(space, vpn, pfn, slot);
      if ((flags & need) !== need) return this.protectionFault(space, va, access, mode, flags, NO_PTE);
      if (access === "write" && (flags & this.writeOk) === 0)
        // A write through an entry cached clean: walk again to set D in memory.
        return this.walkAndFill(space, va, vpn, offset, access, mode, need, false);
      this.faultKind = null;
      this.tlbHit = true;
      this.lastPfn = pfn;
      return (pfn << this.pageShift) + offset;
    }
    return this.translateMiss(space, va, vpn, offset, access, mode);
  }

  /** A TLB miss in the current space: counts it, then walks (quietly when it can) and fills. */
  private translateMiss(
    space: AddressSpace,
    va: number,
    vpn: number,
    offset: number,
    access: Access,
    mode: Mode,
  ): number {
    this.tlb.misses++;
    const need = rightsNeeded(access, mode);
    if (this.sink !== null) this.sink.emit({ kind: "tlb-miss", asid: space.asid, vpn: asVpn(vpn) });
    else if (this.pteBytes !== 1 && vpn >= 0 && vpn < 0x80000000) {
      const pa = this.missQuiet(space, vpn, offset, access === "write", need);
      if (pa !== NO_PTE) return pa;
    }
    return this.walkAndFill(space, va, vpn, offset, access, mode, need, true);
  }

  /**
   * The TLB-miss path for the common case (no sink, 4- or 8-byte entries, vpn below 2^31):
   * the same walk as `walkToLeaf`, the rights check, A/D and the fill in one loop. Returns
   * the physical address, or NO_PTE for anything unusual (an invalid entry, missing rights,
   * a bad frame number): the caller then takes the general path, which walks again and
   * reports the fault (the A bits set here on the way are set there too, so nothing differs).
   */
  private missQuiet(space: AddressSpace, vpn: number, offset: number, write: boolean, need: number): number {
    const i32 = this.mem.i32;
    const wide = this.pteBytes === 8;
    const pteShift = wide ? 3 : 2;
    const pageShift = this.pageShift;
    const pfnShift = this.pfnShift;
    const loMask = this.loMaskPfn;
    const hiMask = this.hiMaskPfn;
    const last = this.levels - 1;
    const interiorA = this.interiorA;
    const shifts = this.quietShift;
    const masks = this.levelMask;
    let table: number = space.rootPfn;
    let w = 0;
    let lo = 0;
    let hi = 0;
    for (let level = 0; ; level++) {
      w = ((table << pageShift) + (((vpn >>> shifts[level]!) & masks[level]!) << pteShift)) >> 2;
      lo = i32[w]!;
      hi = wide ? i32[w + 1]! : 0;
      if (((lo & this.validLo) | (hi & this.validHi)) === 0) return NO_PTE;
      if (level === last) break;
      if ((lo & interiorA) !== interiorA) i32[w] = lo | interiorA;
      table = (lo >>> pfnShift) & loMask;
      if ((hi & hiMask) !== 0 || table > this.tableLimit[level + 1]!) return NO_PTE;
    }
    if (this.flagSlow) return NO_PTE;
    let flags = this.flagTable[(lo >>> this.flagShift) & this.flagMask]!;
    if (hi & this.nxHi) flags &= ~PTE_EXEC;
    const pfn = (lo >>> pfnShift) & loMask;
    if ((flags & need) !== need || (hi & hiMask) !== 0 || pfn >= this.mem.frameCount) return NO_PTE;
    const set = write ? this.aLo | this.dLo : this.aLo;
    if ((lo & set) !== set) i32[w] = lo | set;
    this.walks++;
    this.tlb.insert(vpn, space.asid, pfn, flags | (write ? this.cachedWrite : this.cachedRead));
    this.faultKind = null;
    this.tlbHit = false;
    this.lastPfn = pfn;
    return (pfn << pageShift) + offset;
  }

  private emitHit(space: AddressSpace, vpn: number, pfn: number, slot: number): void {
    this.sink?.emit({ kind: "tlb-hit", asid: space.asid, vpn: asVpn(vpn), pfn: asPfn(pfn), slot });
  }

  /** Translates `va` and returns a tagged result; same effects as `translateFast`. */
  translate(space: AddressSpace, va: number, access: Access, mode: Mode): Translation {
    const pa = this.translateFast(space, va, access, mode);
    if (pa !== FAULT)
      return { kind: "ok", pa: asPhysAddr(pa), pfn: asPfn(this.lastPfn), tlbHit: this.tlbHit };
    return { kind: "fault", fault: this.lastFault(), va: asVirtAddr(va), access, mode };
  }

  /** The last fault of `translateFast` as a tagged `Fault`. Precondition: it faulted. */
  lastFault(): Fault {
    switch (this.faultKind) {
      case "protection":
        return {
          kind: "protection",
          right: this.faultRight ?? "read",
          pteAddr: asPhysAddr(this.faultPteAddr),
        };
      case "non-canonical":
        return { kind: "non-canonical" };
      case "out-of-range":
        return { kind: "out-of-range" };
      default:
        return {
          kind: "not-present",
          level: this.faultLevel,
          pteAddr: this.faultPteAddr === NO_PTE ? null : asPhysAddr(this.faultPteAddr),
        };
    }
  }

  /**
   * What `translate` would answer, with no side effects at all: no accessed/dirty bits, no
   * TLB fill or LRU update, no counters, no events. `tlbHit` says whether the TLB holds
   * a usable entry.
   */
  peek(space: AddressSpace, va: number, access: Access, mode: Mode): Translation {
    return peekTranslation(this.mem, this.tlb, space, va, access, mode);
  }

  /** The page walk for `va`, level by level, for visualisation. No side effects. */
  peekWalk(space: AddressSpace, va: number): WalkStep[] {
    return walkReport(this.mem, space, va);
  }

  /** Alias of `peekWalk`. */
  walk(space: AddressSpace, va: number): WalkStep[] {
    return walkReport(this.mem, space, va);
  }

  private badAddress(space: AddressSpace, va: number, access: Access, mode: Mode): number {
    this.faultKind = this.format.canonical ? "non-canonical" : "out-of-range";
    this.faultPteAddr = NO_PTE;
    return this.reportFault(space, va, access, mode);
  }

  private protectionFault(
    space: AddressSpace,
    va: number,
    access: Access,
    mode: Mode,
    flags: number,
    pteAddr: number,
  ): number {
    this.faultKind = "protection";
    this.faultRight = missingRight(rightsNeeded(access, mode) & ~flags);
    this.faultPteAddr = pteAddr === NO_PTE ? this.leafAddrOf(space, va) : pteAddr;
    return this.reportFault(space, va, access, mode);
  }

  private reportFault(space: AddressSpace, va: number, access: Access, mode: Mode): number {
    this.faults++;
    if (this.sink)
      this.sink.emit({
        kind: "fault",
        asid: space.asid,
        va: asVirtAddr(va),
        access,
        mode,
        fault: this.lastFault(),
      });
    return FAULT;
  }

  /** The leaf entry address of `va` without side effects (for protection faults found in the TLB). */
  private leafAddrOf(space: AddressSpace, va: number): number {
    const steps = this.peekWalk(space, va);
    const leaf = steps[steps.length - 1]!;
    return steps.length === this.format.levels ? leaf.entryAddr : NO_PTE;
  }

  /**
   * Walks the tables for `vpn`, checks rights at the leaf, sets A (and D on a write) in
   * memory, and fills (or refreshes) the TLB. Returns the physical address or FAULT.
   */
  private walkAndFill(
    space: AddressSpace,
    va: number,
    vpn: number,
    offset: number,
    access: Access,
    mode: Mode,
    need: number,
    miss: boolean,
  ): number {
    const leaf = this.walkToLeaf(space, va, vpn);
    if (leaf === NO_PTE) {
      if (!miss) this.tlb.invlpg(space.asid, vpn);
      this.faultKind = "not-present";
      return this.reportFault(space, va, access, mode);
    }
    const byte = this.pteBytes === 1;
    const w = leaf >> 2;
    const lo = this.leafLo;
    const hi = this.leafHi;
    let flags: number;
    if (this.flagSlow) flags = this.format.codec.flagsOf(lo, hi);
    else {
      flags = this.flagTable[(lo >>> this.flagShift) & this.flagMask]!;
      if (hi & this.nxHi) flags &= ~PTE_EXEC;
    }
    if ((flags & need) !== need) {
      if (!miss) this.tlb.invlpg(space.asid, vpn);
      return this.protectionFault(space, va, access, mode, flags, leaf);
    }
    const set = this.aLo | (access === "write" ? this.dLo : 0);
    if ((lo & set) !== set) {
      if (byte) this.mem.u8[leaf] = lo | set;
      else this.mem.i32[w] = lo | set;
    }
    // A frame number is below 2^27 (memory <= 2^31 bytes), so high pfn bits are garbage.
    const pfn = (lo >>> this.pfnShift) & this.loMaskPfn;
    if ((hi & this.hiMaskPfn) !== 0 || pfn >= this.mem.frameCount)
      throw new SimError("hw.pfn", `walk: leaf entry at ${leaf} names a frame outside memory`);
    const cached = flags | (this.aLo ? PTE_ACCESSED : 0) | (access === "write" && this.dLo ? PTE_DIRTY : 0);
    if (miss) this.tlb.insert(vpn, space.asid, pfn, cached);
    else this.tlb.fill(vpn, space.asid, pfn, cached);
    this.faultKind = null;
    this.tlbHit = false;
    this.lastPfn = pfn;
    return (pfn << this.pageShift) + offset;
  }

  /**
   * Reads the entries level by level (setting A in interior x86 entries), emitting a
   * `walk` event per level when a sink is attached. Returns the leaf entry's address, or
   * NO_PTE with `faultLevel`/`faultPteAddr` set when an entry on the way is invalid.
   */
  private walkToLeaf(space: AddressSpace, va: number, vpn: number): number {
    const u8 = this.mem.u8;
    const i32 = this.mem.i32;
    const wide = this.pteBytes === 8;
    const byte = this.pteBytes === 1;
    const pteShift = byte ? 0 : wide ? 3 : 2;
    const pageShift = this.pageShift;
    const validLo = this.validLo;
    const validHi = this.validHi;
    const pfnShift = this.pfnShift;
    const loMask = this.loMaskPfn;
    const hiMask = this.hiMaskPfn;
    const last = this.levels - 1;
    const interiorA = this.format.interiorAccessed ? this.aLo : 0;
    const sink = this.sink;
    const intShift = this.levelIntShift;
    const levelMask = this.levelMask;
    const tableLimit = this.tableLimit;
    this.walks++;
    const uvpn = vpn < 0 ? vpn + this.vpnSpan : vpn;
    // The low 31 bits of the vpn, for the levels whose index lies there (all but x86-64's top).
    const low = uvpn < 0x80000000 ? uvpn : uvpn % 0x80000000;
    let table: number = space.rootPfn;
    for (let level = 0; ; level++) {
      const sh = intShift[level]!;
      const index = (sh >= 0 ? low >>> sh : Math.floor(uvpn * this.levelMul[level]!)) & levelMask[level]!;
      // Memory is at most 2^31 bytes, so physical addresses are int32.
      const addr = (table << pageShift) + (index << pteShift);
      const w = addr >> 2;
      const lo = byte ? u8[addr]! : i32[w]!;
      const hi = wide ? i32[w + 1]! : 0;
      const valid = ((lo & validLo) | (hi & validHi)) !== 0;
      if (sink !== null) this.emitWalk(space, va, level, index, addr, lo, hi, valid);
      if (!valid) {
        this.faultLevel = level;
        this.faultPteAddr = level === last ? addr : NO_PTE;
        return NO_PTE;
      }
      if (level === last) {
        this.leafLo = lo;
        this.leafHi = hi;
        return addr;
      }
      if ((lo & interiorA) !== interiorA) {
        if (byte) u8[addr] = lo | interiorA;
        else i32[w] = lo | interiorA;
      }
      table = (lo >>> pfnShift) & loMask;
      if ((hi & hiMask) !== 0 || table > tableLimit[level + 1]!) {
        this.faultLevel = level;
        this.faultPteAddr = NO_PTE;
        return NO_PTE;
      }
    }
  }

  private emitWalk(
    space: AddressSpace,
    va: number,
    level: number,
    index: number,
    addr: number,
    lo: number,
    hi: number,
    valid: boolean,
  ): void {
    this.sink?.emit({
      kind: "walk",
      asid: space.asid,
      va: asVirtAddr(va),
      level,
      index,
      entryAddr: asPhysAddr(addr),
      entry: pteHex(this.mem, this.format, asPhysAddr(addr)),
      valid,
      pfn: asPfn(this.format.codec.pfnOf(lo, hi)),
    });
  }

  /** The ASID of the current space (0 before any switch). */
  get currentAsid(): Asid {
    return this.current ? this.current.asid : asAsid(0);
  }
}
