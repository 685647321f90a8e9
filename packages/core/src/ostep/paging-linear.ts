/**
 * OSTEP's `paging-linear-translate.py` (chapter "Paging: Introduction"): a linear page
 * table whose 32-bit entries hold a valid bit (bit 31) and a pfn, and virtual addresses
 * to translate through it.
 *
 *   PTE:  31 | 30 ............................ 0
 *         V  |              pfn
 *
 * Draw order after `random.seed(seed)`: for each vpn, a "used?" draw, and if used a pfn
 * draw (retrying both when that frame is taken); then one draw per virtual address (only
 * when no -A list is given).
 */
import { PyRandom } from "../base/index.js";
import {
  ADDRESS_LIST_OPTION,
  addressCountOption,
  asizeOption,
  computeOption,
  physmemOption,
  SEED_OPTION,
} from "./options.js";
import type { OptionSpec, OptValues } from "./optparse.js";
import { type OstepRun, record, type Transcript } from "./transcript.js";
import {
  drawAddresses,
  flagOption,
  intOption,
  intOrStop,
  pyTrunc,
  sizeOrStop,
  stringOption,
} from "./values.js";

export const PAGING_LINEAR_OPTIONS: readonly OptionSpec[] = [
  ADDRESS_LIST_OPTION,
  SEED_OPTION,
  asizeOption("16k"),
  physmemOption("64k"),
  {
    short: "-P",
    long: "--pagesize",
    dest: "pagesize",
    type: "string",
    default: "4k",
    help: "page size (e.g., 4k, 8k, whatever)",
  },
  addressCountOption("--numaddrs", 5),
  {
    short: "-u",
    long: "--used",
    dest: "used",
    type: "int",
    default: 50,
    help: "percent of virtual address space that is used",
  },
  { short: "-v", dest: "verbose", type: "flag", default: false, help: "verbose mode" },
  computeOption(),
];

const ONE_GB = 1024 * 1024 * 1024;

/** A linear page table: `pfns[vpn]` is the frame, or null for an invalid entry. */
export interface LinearPageTable {
  readonly pageBits: number;
  readonly pfns: readonly (number | null)[];
}

/** A translation: a physical address, an invalid vpn, or a vpn beyond the table. */
export type LinearAnswer =
  | { readonly kind: "valid"; readonly vpn: number; readonly pa: number }
  | { readonly kind: "invalid"; readonly vpn: number }
  | { readonly kind: "out-of-table"; readonly vpn: number };

/**
 * Translates `va` as the original does: the vpn is taken from the low 32 bits of the
 * address (Python's `va & 0xffffffff & ~offsetMask` on an unbounded int), so addresses
 * beyond the address space may wrap into it or fall off the end of the table.
 */
export function translateLinear(pt: LinearPageTable, va: number): LinearAnswer {
  const low32 = BigInt.asUintN(32, BigInt(va));
  const vpn = Number(low32 >> BigInt(pt.pageBits));
  if (vpn >= pt.pfns.length) return { kind: "out-of-table", vpn };
  const pfn = pt.pfns[vpn];
  if (pfn === null || pfn === undefined) return { kind: "invalid", vpn };
  const offset = Number(low32 & ((1n << BigInt(pt.pageBits)) - 1n));
  return { kind: "valid", vpn, pa: pfn * 2 ** pt.pageBits + offset };
}

/** Runs paging-linear-translate.py with parsed option values. */
export function runPagingLinear(values: OptValues): OstepRun {
  return record((out) => {
    const texts = {
      asize: stringOption(values, "asize"),
      psize: stringOption(values, "psize"),
      pagesize: stringOption(values, "pagesize"),
    };
    const verbose = flagOption(values, "verbose");
    const addresses = stringOption(values, "addresses");
    out.print("ARG seed", intOption(values, "seed"));
    out.print("ARG address space size", texts.asize);
    out.print("ARG phys mem size", texts.psize);
    out.print("ARG page size", texts.pagesize);
    out.print("ARG verbose", verbose);
    out.print("ARG addresses", addresses);
    out.print("");
    const rng = new PyRandom(intOption(values, "seed"));
    const asize = sizeOrStop(out, texts.asize, "address space size (-a)");
    const psize = sizeOrStop(out, texts.psize, "physical memory size (-p)");
    const pagesize = sizeOrStop(out, texts.pagesize, "page size (-P)");
    const pageBits = checkGeometry(out, asize, psize, pagesize);
    const pt = drawPageTable(
      rng,
      out,
      asize / pagesize,
      psize / pagesize,
      pageBits,
      intOption(values, "used"),
      verbose,
    );
    out.note("pageTable", pt);
    const vas =
      addresses === "-1" ? drawAddresses(rng, asize, intOption(values, "num")) : addresses.split(",");
    printTrace(out, pt, vas, flagOption(values, "solve"));
  });
}

function fail(out: Transcript, message: string): never {
  out.print(message);
  return out.exit(1);
}

/** The original's checks, in its order; returns log2(pagesize). */
function checkGeometry(out: Transcript, asize: number, psize: number, pagesize: number): number {
  if (psize <= 1) fail(out, "Error: must specify a non-zero physical memory size.");
  if (asize < 1) fail(out, "Error: must specify a non-zero address-space size.");
  if (psize <= asize)
    fail(out, "Error: physical memory size must be GREATER than address space size (for this simulation)");
  if (psize >= ONE_GB || asize >= ONE_GB)
    fail(out, "Error: must use smaller sizes (less than 1 GB) for this simulation.");
  if (pagesize === 0) out.crash("page size (-P) must not be 0 (the original divides by it)");
  if (!Number.isInteger(asize / pagesize))
    fail(out, "Error in argument: address space must be a multiple of the pagesize");
  if (!Number.isInteger(psize / pagesize))
    fail(out, "Error in argument: physical memory must be a multiple of the pagesize");
  const vaBits = pyTrunc(Math.log(asize) / Math.log(2.0));
  if (2 ** vaBits !== asize) fail(out, "Error in argument: address space must be a power of 2");
  if (pagesize < 0)
    out.crash(`page size (-P) must be positive, not ${pagesize} (the original takes its logarithm)`);
  const pageBits = pyTrunc(Math.log(pagesize) / Math.log(2.0));
  if (2 ** pageBits !== pagesize) fail(out, "Error in argument: page size must be a power of 2");
  return pageBits;
}

function drawPageTable(
  rng: PyRandom,
  out: Transcript,
  vpages: number,
  frames: number,
  pageBits: number,
  usedPercent: number,
  verbose: boolean,
): LinearPageTable {
  out.print("");
  out.print("The format of the page table is simple:");
  out.print("The high-order (left-most) bit is the VALID bit.");
  out.print("  If the bit is 1, the rest of the entry is the PFN.");
  out.print("  If the bit is 0, the page is not valid.");
  out.print("Use verbose mode (-v) if you want to print the VPN # by");
  out.print("each entry of the page table.");
  out.print("");
  out.print("Page Table (from entry 0 down to the max size)");
  const taken = new Uint8Array(Math.max(frames, 0));
  const pfns: (number | null)[] = [];
  for (let vpn = 0; vpn < vpages; vpn++) {
    const pfn = drawEntry(rng, taken, frames, usedPercent);
    out.write(verbose ? pyPercentVpn(vpn) : "  ");
    out.printf("0x%08x", pfn === null ? 0 : (0x80000000 | pfn) >>> 0);
    pfns.push(pfn);
  }
  out.print("");
  return { pageBits, pfns };
}

const pyPercentVpn = (vpn: number): string => `  [${String(vpn).padStart(8)}]  `;

/** One entry: invalid, or a free frame (a taken frame means rolling both draws again). */
function drawEntry(rng: PyRandom, taken: Uint8Array, frames: number, usedPercent: number): number | null {
  for (;;) {
    if (!(rng.random() * 100.0 > 100.0 - usedPercent)) return null;
    const u = pyTrunc(frames * rng.random());
    if (taken[u] === 0) {
      taken[u] = 1;
      return u;
    }
  }
}

function printTrace(
  out: Transcript,
  pt: LinearPageTable,
  vas: readonly (number | string)[],
  solve: boolean,
): void {
  out.print("Virtual Address Trace");
  vas.forEach((v, i) => {
    const va = typeof v === "number" ? v : intOrStop(out, v, `virtual address ${i} in -A`);
    if (!solve) {
      out.printf("  VA 0x%08x (decimal: %8d) --> PA or invalid address?", va, va);
      return;
    }
    const a = translateLinear(pt, va);
    if (a.kind === "out-of-table") {
      out.crash(
        `virtual address ${va} has vpn ${a.vpn}, beyond the ${pt.pfns.length}-entry page table (the original fails with an IndexError)`,
      );
    }
    out.append("translations", { va, ...a });
    if (a.kind === "invalid")
      out.printf("  VA 0x%08x (decimal: %8d) -->  Invalid (VPN %d not valid)", va, va, a.vpn);
    else out.printf("  VA 0x%08x (decimal: %8d) --> %08x (decimal %8d) [VPN %d]", va, va, a.pa, a.pa, a.vpn);
  });
  out.print("");
  if (!solve) {
    out.print("For each virtual address, write down the physical address it translates to");
    out.print("OR write down that it is an out-of-bounds address (e.g., segfault).");
    out.print("");
  }
}
