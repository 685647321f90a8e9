/**
 * Page-table formats: page size, levels and their index widths, entry width and the
 * native entry layout, plus the capability flags that tell the kernel which features the
 * format can carry (a 1-byte OSTEP entry has no room for dirty, copy-on-write or swap).
 *
 * A virtual address splits as (root level first):
 * ```
 * +-----------+-----------+-----+-----------+----------------+
 * | index L0  | index L1  | ... | index Ln  |  page offset   |
 * +-----------+-----------+-----+-----------+----------------+
 *   levelBits[0]                 levelBits[n]   pageShift bits
 * ```
 * Leaves are always at the last level (no huge pages). A table of one level occupies
 * ceil(2^bits * pteBytes / pageSize) contiguous frames (usually exactly one).
 */
import {
  compactLayout,
  PTE_ACCESSED,
  PTE_COW,
  PTE_DIRTY,
  PTE_EXEC,
  PTE_GLOBAL,
  PTE_READ,
  PTE_SWAPPED,
  PTE_USER,
  PTE_VALID,
  PTE_WRITE,
  PteCodec,
  type PteLayout,
  type PteLayoutFamily,
  riscvLayout,
  x86Layout,
} from "./pte.js";

/** Entry widths the hardware supports. */
export type PteBytes = 1 | 4 | 8;

/** What a format can express. The kernel refuses features whose flag is false. */
export interface FormatCaps {
  /** Pages can be made unreadable while present (RISC-V R bit). */
  readonly readProtect: boolean;
  /** Pages can be made read-only (a W bit). Without it every valid page is writable. */
  readonly writeProtect: boolean;
  /** Pages can be made non-executable (X or NX bit). */
  readonly execProtect: boolean;
  /** Pages can be made kernel-only (U/S bit). */
  readonly userProtect: boolean;
  /** The MMU sets an accessed bit (needed by Clock-style replacement). */
  readonly accessed: boolean;
  /** The MMU sets a dirty bit (needed to skip writing back clean pages). */
  readonly dirty: boolean;
  /** Entries can be global (kept in the TLB across switches). */
  readonly global: boolean;
  /** A software copy-on-write bit exists (needed for COW fork). */
  readonly cow: boolean;
  /** A non-present entry can hold a swap slot (needed for swapping). */
  readonly swap: boolean;
}

/** A validated, ready-to-use page-table format. Build with `makeFormat` or `presetFormat`. */
export interface PageTableFormat {
  readonly name: string;
  /** log2 of the page size. */
  readonly pageShift: number;
  readonly pageSize: number;
  /** Index width of each level, root first. */
  readonly levelBits: readonly number[];
  /** What the architecture calls each level's table, root first (x86-64: PML4, PDPT, PD, PT). */
  readonly levelNames: readonly string[];
  readonly levels: number;
  readonly pteBytes: PteBytes;
  /** Virtual address width: pageShift + sum(levelBits). */
  readonly vaBits: number;
  /**
   * Canonical (sign-extended) addresses, as x86-64 and Sv39: the upper half is written
   * as negative numbers, so valid addresses are [-2^(vaBits-1), 2^(vaBits-1)).
   * Non-canonical formats accept [0, 2^vaBits).
   */
  readonly canonical: boolean;
  /** Lowest valid address (0, or -2^(vaBits-1) when canonical). */
  readonly vaMin: number;
  /** One past the highest valid address. */
  readonly vaLimit: number;
  readonly layout: PteLayout;
  readonly codec: PteCodec;
  readonly caps: FormatCaps;
  /** Most frames an entry can name (2^pfnBits). */
  readonly maxFrames: number;
  /** Generic flags written into interior (non-leaf) entries. */
  readonly tableFlags: number;
  /** Whether the MMU sets the accessed bit in interior entries too (x86 does). */
  readonly interiorAccessed: boolean;
  /** For each level: the vpn shift that brings its index to the low bits. */
  readonly levelShift: readonly number[];
  /** For each level: 2^levelShift, for exact division of large vpns. */
  readonly levelDiv: readonly number[];
  /** For each level: frames one table occupies. */
  readonly tableFrames: readonly number[];
}

/** What a user may ask for when building a format. */
export interface FormatSpec {
  readonly name?: string;
  readonly pageSize: number;
  readonly levelBits: readonly number[];
  readonly pteBytes: number;
  /** Native layout; default x86 for 4/8-byte entries, compact for 1-byte. */
  readonly layout?: PteLayoutFamily;
  /** If given, must equal log2(pageSize) + sum(levelBits). */
  readonly vaBits?: number;
  readonly canonical?: boolean;
  /** Names of the levels' tables, root first; default L0, L1… */
  readonly levelNames?: readonly string[];
}

/** A value or a sentence saying what is wrong. */
export type HwResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

const ok = <T>(value: T): HwResult<T> => ({ ok: true, value });
const bad = <T>(problem: string): HwResult<T> => ({ ok: false, problem });

/** Smallest and largest supported page sizes (bytes). */
export const MIN_PAGE_SIZE = 16;
export const MAX_PAGE_SIZE = 2 ** 30;
/** Most levels a format may have. */
export const MAX_LEVELS = 5;

function layoutFor(family: PteLayoutFamily, pteBytes: PteBytes): HwResult<PteLayout> {
  if (family === "compact") return ok(compactLayout(pteBytes));
  if (pteBytes === 1) return bad(`a ${family} entry needs 4 or 8 bytes, not 1 (use the compact layout)`);
  return ok(family === "x86" ? x86Layout(pteBytes) : riscvLayout(pteBytes));
}

function checkShape(spec: FormatSpec): string | null {
  const p = spec.pageSize;
  if (!Number.isInteger(p) || p <= 0 || (p & (p - 1)) !== 0 || p > MAX_PAGE_SIZE)
    return `page size ${p} is not a power of two between ${MIN_PAGE_SIZE} and 2^30 bytes`;
  if (p < MIN_PAGE_SIZE)
    return `page size ${p} is smaller than the smallest supported page (${MIN_PAGE_SIZE} bytes)`;
  if (spec.pteBytes !== 1 && spec.pteBytes !== 4 && spec.pteBytes !== 8)
    return `an entry is 1, 4 or 8 bytes wide, not ${spec.pteBytes}`;
  const n = spec.levelBits.length;
  if (n < 1 || n > MAX_LEVELS) return `a page table has 1 to ${MAX_LEVELS} levels, not ${n}`;
  for (const [i, b] of spec.levelBits.entries())
    if (!Number.isInteger(b) || b < 1 || b > 20)
      return `level ${i} index width ${b} is not between 1 and 20 bits`;
  const pageShift = Math.log2(p);
  const sum = spec.levelBits.reduce((a, b) => a + b, 0) + pageShift;
  if (spec.vaBits !== undefined && spec.vaBits !== sum)
    return `level bits ${spec.levelBits.join("+")} plus ${pageShift} offset bits make ${sum}-bit addresses, not the ${spec.vaBits} bits asked for`;
  if (sum > 52) return `${sum}-bit virtual addresses are wider than the 52 bits memsim can represent exactly`;
  return null;
}

function capsOf(codec: PteCodec): FormatCaps {
  const l = codec.layout;
  return {
    readProtect: l.read >= 0,
    writeProtect: l.write >= 0,
    execProtect: l.exec >= 0 || l.nx >= 0,
    userProtect: l.user >= 0,
    accessed: l.accessed >= 0,
    dirty: l.dirty >= 0,
    global: l.global >= 0,
    cow: l.cow >= 0,
    swap: l.swapped >= 0,
  };
}

/**
 * Validates a format description and derives everything the walk needs.
 * Fails with a sentence when the page size is not a power of two, the level bits do not
 * add up to `vaBits`, the layout does not fit the entry width, and the like.
 */
export function makeFormat(spec: FormatSpec): HwResult<PageTableFormat> {
  const problem = checkShape(spec);
  if (problem) return bad(problem);
  const pteBytes = spec.pteBytes as PteBytes;
  const family = spec.layout ?? (pteBytes === 1 ? "compact" : "x86");
  const layout = layoutFor(family, pteBytes);
  if (!layout.ok) return bad(layout.problem);
  const codec = new PteCodec(layout.value);
  const pageShift = Math.log2(spec.pageSize);
  const levelBits = [...spec.levelBits];
  const vaBits = pageShift + levelBits.reduce((a, b) => a + b, 0);
  const canonical = spec.canonical ?? false;
  const levelShift: number[] = [];
  let below = 0;
  for (let i = levelBits.length - 1; i >= 0; i--) {
    levelShift[i] = below;
    below += levelBits[i]!;
  }
  const tableFrames = levelBits.map((b) => Math.max(1, Math.ceil((2 ** b * pteBytes) / spec.pageSize)));
  const interiorX86 = family === "x86";
  return ok({
    name: spec.name ?? `custom-${levelBits.join("/")}-${spec.pageSize}`,
    pageShift,
    pageSize: spec.pageSize,
    levelBits,
    levelNames: levelBits.map((_, i) => spec.levelNames?.[i] ?? `L${i}`),
    levels: levelBits.length,
    pteBytes,
    vaBits,
    canonical,
    vaMin: canonical ? -(2 ** (vaBits - 1)) : 0,
    vaLimit: canonical ? 2 ** (vaBits - 1) : 2 ** vaBits,
    layout: layout.value,
    codec,
    caps: capsOf(codec),
    maxFrames: 2 ** layout.value.pfnBits,
    // x86 ANDs rights over all levels, so interior entries grant everything; RISC-V
    // interior entries must have R=W=X=0 (else they would be leaves).
    tableFlags: interiorX86 ? PTE_VALID | PTE_WRITE | PTE_USER | PTE_EXEC : PTE_VALID,
    interiorAccessed: interiorX86,
    levelShift,
    levelDiv: levelShift.map((s) => 2 ** s),
    tableFrames,
  });
}

/** Names of the built-in formats. */
export const FORMAT_PRESETS = ["x86-32", "x86-64", "sv39", "linear", "ostep-2level"] as const;
export type FormatPresetName = (typeof FORMAT_PRESETS)[number];

const PRESET_SPECS: Record<FormatPresetName, FormatSpec> = {
  // 32-bit x86 without PAE: 10/10/12, 4-byte entries, no NX.
  "x86-32": {
    name: "x86-32",
    pageSize: 4096,
    levelBits: [10, 10],
    pteBytes: 4,
    layout: "x86",
    vaBits: 32,
    levelNames: ["PD", "PT"],
  },
  // x86-64 4-level paging: PML4/PDPT/PD/PT, 9 bits each, 48-bit canonical addresses.
  "x86-64": {
    name: "x86-64",
    pageSize: 4096,
    levelBits: [9, 9, 9, 9],
    pteBytes: 8,
    layout: "x86",
    vaBits: 48,
    canonical: true,
    levelNames: ["PML4", "PDPT", "PD", "PT"],
  },
  // RISC-V Sv39: 3 levels of 9 bits, 39-bit canonical addresses.
  sv39: {
    name: "sv39",
    pageSize: 4096,
    levelBits: [9, 9, 9],
    pteBytes: 8,
    layout: "riscv",
    vaBits: 39,
    canonical: true,
    levelNames: ["VPN[2]", "VPN[1]", "VPN[0]"],
  },
  // One level: a 1024-entry table of 4-byte entries in one 4 KiB page (a 4 MiB address space).
  linear: {
    name: "linear",
    pageSize: 4096,
    levelBits: [10],
    pteBytes: 4,
    layout: "x86",
    vaBits: 22,
    levelNames: ["PT"],
  },
  // OSTEP vm-smalltables: 32-byte pages, 5-bit directory and table indices, 1-byte
  // entries of a valid bit and a 7-bit pfn (so at most 128 frames = 4 KiB).
  "ostep-2level": {
    name: "ostep-2level",
    pageSize: 32,
    levelBits: [5, 5],
    pteBytes: 1,
    layout: "compact",
    vaBits: 15,
    levelNames: ["PD", "PT"],
  },
};

/** True when `name` is one of `FORMAT_PRESETS`. */
export function isFormatPreset(name: string): name is FormatPresetName {
  return (FORMAT_PRESETS as readonly string[]).includes(name);
}

/** The spec of a built-in format, for docs and for building variants. */
export function presetSpec(name: FormatPresetName): FormatSpec {
  return PRESET_SPECS[name];
}

/** A built-in format by name, or a sentence listing the known names. */
export function presetFormat(name: string): HwResult<PageTableFormat> {
  if (!isFormatPreset(name))
    return bad(`unknown page-table format "${name}"; expected one of ${FORMAT_PRESETS.join(", ")}`);
  return makeFormat(PRESET_SPECS[name]);
}

/**
 * Checks that `frames` frames can be built and addressed with `format`: a positive integer,
 * no more than the entry's pfn field can name, and at most 2 GiB of simulated memory.
 * Returns null when fine, else a sentence.
 */
export function checkFrameCount(format: PageTableFormat, frames: number): string | null {
  if (!Number.isInteger(frames) || frames < 1)
    return `the machine needs a whole number of frames >= 1, not ${frames}`;
  if (frames > format.maxFrames)
    return `format ${format.name} addresses at most ${format.maxFrames} frames (a ${format.layout.pfnBits}-bit pfn), but ${frames} were asked for`;
  if (frames * format.pageSize > 2 ** 31)
    return `${frames} frames of ${format.pageSize} bytes exceed the 2 GiB of memory memsim can simulate`;
  return null;
}

/** Generic flags that a format stores or implies (for refusing impossible requests). */
export function formatSupports(format: PageTableFormat, flags: number): boolean {
  return (flags & ~format.codec.representable) === 0;
}

/** Flags every present user data page gets: valid, read, write, user. */
export const PTE_USER_RW = PTE_VALID | PTE_READ | PTE_WRITE | PTE_USER;
/** Flags for user text: valid, read, execute, user. */
export const PTE_USER_RX = PTE_VALID | PTE_READ | PTE_EXEC | PTE_USER;
/** Flags the MMU maintains, never needed in a mapping request. */
export const PTE_HW_MANAGED = PTE_ACCESSED | PTE_DIRTY;
/** Software bits. */
export const PTE_SOFTWARE = PTE_COW | PTE_SWAPPED;
/** Global kernel pages. */
export const PTE_KERNEL_GLOBAL = PTE_VALID | PTE_READ | PTE_WRITE | PTE_GLOBAL;
