/**
 * Page-table entries: the format-independent flag set the kernel and the MMU speak, and
 * the native bit layouts that formats store in simulated memory.
 *
 * Every format stores entries in its own native layout (x86, RISC-V, or a compact
 * valid-bit-plus-pfn byte). The rest of memsim never touches native bits: it reads and
 * writes *generic flags* (`PTE_*` below) and a pfn, and the format translates. A bit the
 * format cannot store is either *implied* (x86 has no R bit: a present page is readable)
 * or *absent* (a 1-byte OSTEP entry has no dirty bit); `FormatCaps` says which.
 */

/** Present/valid: the hardware may use this entry. */
export const PTE_VALID = 1 << 0;
/** Readable. Implied by PTE_VALID on formats without an R bit (x86). */
export const PTE_READ = 1 << 1;
/** Writable. */
export const PTE_WRITE = 1 << 2;
/** Executable. On x86-64 stored inverted as NX (bit 63). */
export const PTE_EXEC = 1 << 3;
/** User-accessible (U/S). Without it only kernel mode may touch the page. */
export const PTE_USER = 1 << 4;
/** Global: the TLB keeps the translation across address-space switches. */
export const PTE_GLOBAL = 1 << 5;
/** Accessed: set by the MMU on any access (walk), cleared by the kernel (Clock). */
export const PTE_ACCESSED = 1 << 6;
/** Dirty: set by the MMU on a write, cleared by the kernel after write-back. */
export const PTE_DIRTY = 1 << 7;
/** Software: copy-on-write page (mapped read-only, write faults copy). */
export const PTE_COW = 1 << 8;
/** Software, only in a non-present entry: the page is in swap; the slot is in the pfn field. */
export const PTE_SWAPPED = 1 << 9;

/** The number of generic flag bits. */
export const PTE_FLAG_COUNT = 10;
/** Read + write + execute. */
export const PTE_RWX = PTE_READ | PTE_WRITE | PTE_EXEC;

const FLAG_NAMES = ["V", "R", "W", "X", "U", "G", "A", "D", "COW", "SWP"] as const;

/** The generic flags as a compact string, e.g. `VRW-U-A-` plus `C` (COW) and `S` (swapped). */
export function pteFlagsToString(flags: number): string {
  let s = "";
  for (let i = 0; i < PTE_FLAG_COUNT; i++) s += flags & (1 << i) ? FLAG_NAMES[i]!.charAt(0) : "-";
  return s;
}

/** The names of the generic flags set in `flags`, e.g. ["V","R","W","U"]. */
export function pteFlagNames(flags: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < PTE_FLAG_COUNT; i++) if (flags & (1 << i)) out.push(FLAG_NAMES[i]!);
  return out;
}

/** Native layout families. */
export type PteLayoutFamily = "x86" | "riscv" | "compact";

/**
 * Where each generic flag lives in a native entry: a bit position (0-63), or -1 when the
 * format has no such bit. `nx` is an inverted execute bit. The pfn (or, in a swapped-out
 * entry, the swap slot) occupies `pfnBits` bits starting at `pfnShift`.
 */
export interface PteLayout {
  readonly family: PteLayoutFamily;
  readonly valid: number;
  readonly read: number;
  readonly write: number;
  readonly exec: number;
  readonly nx: number;
  readonly user: number;
  readonly global: number;
  readonly accessed: number;
  readonly dirty: number;
  readonly cow: number;
  readonly swapped: number;
  readonly pfnShift: number;
  readonly pfnBits: number;
}

/**
 * x86 entries (Intel SDM vol. 3, "4-level paging"):
 *
 * ```
 *  63  62        52 51                          12 11  9 8 7 6 5 4 3 2 1 0
 * +--+-------------+------------------------------+-----+-+-+-+-+-+-+-+-+-+
 * |NX|  (ignored)  |        page frame number     | AVL |G|0|D|A|.|.|U|W|P|
 * +--+-------------+------------------------------+-----+-+-+-+-+-+-+-+-+-+
 *                                                  AVL: bit 9 = COW, bit 10 = SWAPPED
 * ```
 * 4-byte entries (x86-32 without PAE) stop at bit 31: 20-bit pfn, no NX (every present
 * page is executable). There is no R bit: present means readable.
 */
export function x86Layout(pteBytes: 4 | 8): PteLayout {
  return {
    family: "x86",
    valid: 0,
    read: -1,
    write: 1,
    exec: -1,
    nx: pteBytes === 8 ? 63 : -1,
    user: 2,
    global: 8,
    accessed: 5,
    dirty: 6,
    cow: 9,
    swapped: 10,
    pfnShift: 12,
    pfnBits: pteBytes === 8 ? 40 : 20,
  };
}

/**
 * RISC-V entries (privileged spec, Sv32/Sv39):
 *
 * ```
 *  63      54 53                                 10 9   8 7 6 5 4 3 2 1 0
 * +----------+-------------------------------------+-----+-+-+-+-+-+-+-+-+
 * | reserved |      physical page number (PPN)     | RSW |D|A|G|U|X|W|R|V|
 * +----------+-------------------------------------+-----+-+-+-+-+-+-+-+-+
 *                                                   RSW: bit 8 = COW, bit 9 = SWAPPED
 * ```
 * A 4-byte (Sv32) entry has a 22-bit PPN at bit 10. Interior entries have R=W=X=0.
 */
export function riscvLayout(pteBytes: 4 | 8): PteLayout {
  return {
    family: "riscv",
    valid: 0,
    read: 1,
    write: 2,
    exec: 3,
    nx: -1,
    user: 4,
    global: 5,
    accessed: 6,
    dirty: 7,
    cow: 8,
    swapped: 9,
    pfnShift: 10,
    pfnBits: pteBytes === 8 ? 44 : 22,
  };
}

/**
 * A compact entry: the top bit is valid, every other bit is the pfn. This is OSTEP's
 * vm-smalltables format for 1-byte entries:
 *
 * ```
 *   7   6           0
 * +---+---------------+
 * | V |      PFN      |
 * +---+---------------+
 * ```
 * No protection, accessed, dirty or software bits: every valid page is readable,
 * writable, executable and user-accessible.
 */
export function compactLayout(pteBytes: 1 | 4 | 8): PteLayout {
  const bits = pteBytes * 8;
  return {
    family: "compact",
    valid: bits - 1,
    read: -1,
    write: -1,
    exec: -1,
    nx: -1,
    user: -1,
    global: -1,
    accessed: -1,
    dirty: -1,
    cow: -1,
    swapped: -1,
    pfnShift: 0,
    pfnBits: Math.min(bits - 1, 31),
  };
}

/**
 * Precomputed decode/encode tables for one layout, so the hot paths do a fixed small
 * amount of work on a (lo, hi) pair of 32-bit words.
 */
export class PteCodec {
  readonly layout: PteLayout;
  /** Generic flags a valid entry has without storing them (e.g. R on x86). */
  readonly impliedWhenValid: number;
  /** Generic flags the layout stores or implies; others are absent. */
  readonly representable: number;
  /** For each generic flag bit: its native bit position or -1. */
  private readonly pos: Int8Array;
  // Field extraction constants, public so the MMU's walk can inline them:
  // pfn = ((lo >>> pfnShift) & loMaskPfn) + (hi & hiMaskPfn) * hiMul; valid = lo & validLo | hi & validHi.
  readonly loMaskPfn: number;
  readonly hiMaskPfn: number;
  readonly hiMul: number;
  readonly validLo: number;
  readonly validHi: number;
  /** Generic flags for each value of the low-word flag window (implied bits included). */
  readonly table: Int32Array;
  readonly winShift: number;
  readonly winMask: number;
  /** True when the table cannot decode this layout (a flag in the high word, a wide window). */
  readonly slowOnly: boolean;
  /** The NX bit within the high word, or 0. */
  readonly nxHi: number;

  constructor(layout: PteLayout) {
    this.layout = layout;
    const pos = new Int8Array(PTE_FLAG_COUNT).fill(-1);
    pos[0] = layout.valid;
    pos[1] = layout.read;
    pos[2] = layout.write;
    pos[3] = layout.exec;
    pos[4] = layout.user;
    pos[5] = layout.global;
    pos[6] = layout.accessed;
    pos[7] = layout.dirty;
    pos[8] = layout.cow;
    pos[9] = layout.swapped;
    this.pos = pos;
    let implied = 0;
    if (layout.read < 0) implied |= PTE_READ;
    if (layout.write < 0) implied |= PTE_WRITE;
    if (layout.exec < 0 && layout.nx < 0) implied |= PTE_EXEC;
    if (layout.user < 0) implied |= PTE_USER;
    this.impliedWhenValid = implied;
    let rep = implied | (layout.nx >= 0 ? PTE_EXEC : 0);
    for (let i = 0; i < PTE_FLAG_COUNT; i++) if (pos[i]! >= 0) rep |= 1 << i;
    this.representable = rep;
    const s = layout.pfnShift;
    const loBits = Math.max(0, Math.min(layout.pfnBits, 32 - s));
    this.loMaskPfn = loBits >= 32 ? 0xffffffff : 2 ** loBits - 1;
    const hiBits = layout.pfnBits - loBits;
    this.hiMaskPfn = hiBits <= 0 ? 0 : 2 ** Math.min(hiBits, 32) - 1;
    this.hiMul = 2 ** loBits;
    this.validLo = layout.valid < 32 ? 1 << layout.valid : 0;
    this.validHi = layout.valid >= 32 ? 1 << (layout.valid - 32) : 0;
    // The flags stored in the low word sit in a window of a few bits (x86: 0-10, RISC-V:
    // 0-9); a table over that window decodes them in one load.
    const lowPos = [...pos].filter((p) => p >= 0 && p < 32);
    this.winShift = lowPos.length ? Math.min(...lowPos) : 0;
    const span = lowPos.length ? Math.max(...lowPos) - this.winShift + 1 : 1;
    const nx = layout.nx;
    this.slowOnly = [...pos].some((p) => p >= 32) || span > 16 || (nx >= 0 && nx < 32);
    this.nxHi = nx >= 32 ? 1 << (nx - 32) : 0;
    this.winMask = this.slowOnly ? 0 : 2 ** span - 1;
    this.table = new Int32Array(this.winMask + 1);
    if (!this.slowOnly)
      for (let w = 0; w <= this.winMask; w++)
        this.table[w] = this.slowFlags((w << this.winShift) >>> 0, 0, true);
  }

  /** Decodes bit by bit; `noNx` ignores the NX bit (the table adds EXEC, `flagsOf` removes it). */
  private slowFlags(lo: number, hi: number, noNx: boolean): number {
    const pos = this.pos;
    let f = 0;
    for (let i = 0; i < PTE_FLAG_COUNT; i++) {
      const p = pos[i]!;
      if (p >= 0 && (p < 32 ? (lo >>> p) & 1 : (hi >>> (p - 32)) & 1)) f |= 1 << i;
    }
    if (f & PTE_VALID) {
      f |= this.impliedWhenValid;
      const nx = this.layout.nx;
      if (nx >= 0 && (noNx || !((nx < 32 ? lo >>> nx : hi >>> (nx - 32)) & 1))) f |= PTE_EXEC;
    }
    return f;
  }

  /** True when the native entry (lo, hi) is valid/present. */
  isValid(lo: number, hi: number): boolean {
    return ((lo & this.validLo) | (hi & this.validHi)) !== 0;
  }

  /** The pfn (or swap slot) field of a native entry. */
  pfnOf(lo: number, hi: number): number {
    return ((lo >>> this.layout.pfnShift) & this.loMaskPfn) + (hi & this.hiMaskPfn) * this.hiMul;
  }

  /** Generic flags of a native entry, implied bits included for valid entries. */
  flagsOf(lo: number, hi: number): number {
    if (this.slowOnly) return this.slowFlags(lo, hi, false);
    const f = this.table[(lo >>> this.winShift) & this.winMask]!;
    return hi & this.nxHi ? f & ~PTE_EXEC : f;
  }

  /**
   * Native low word for (pfn, flags). Flags the layout cannot store are dropped; the
   * caller (`writePte`) refuses absent software bits before getting here.
   */
  encodeLo(pfn: number, flags: number): number {
    let lo = ((pfn % this.hiMul) & this.loMaskPfn) << this.layout.pfnShift;
    const pos = this.pos;
    for (let i = 0; i < PTE_FLAG_COUNT; i++) {
      const p = pos[i]!;
      if (p >= 0 && p < 32 && flags & (1 << i)) lo |= 1 << p;
    }
    return lo >>> 0;
  }

  /** Native high word (8-byte entries only) for (pfn, flags). */
  encodeHi(pfn: number, flags: number): number {
    let hi = Math.floor(pfn / this.hiMul) & this.hiMaskPfn;
    const pos = this.pos;
    for (let i = 0; i < PTE_FLAG_COUNT; i++) {
      const p = pos[i]!;
      if (p >= 32 && flags & (1 << i)) hi |= 1 << (p - 32);
    }
    const nx = this.layout.nx;
    if (nx >= 32 && flags & PTE_VALID && !(flags & PTE_EXEC)) hi |= 1 << (nx - 32);
    return hi >>> 0;
  }

  /** Native bit mask (in the low word) of one generic flag, or 0 when it is not stored there. */
  loBit(flag: number): number {
    const i = 31 - Math.clz32(flag);
    const p = this.pos[i]!;
    return p >= 0 && p < 32 ? (1 << p) >>> 0 : 0;
  }
}
