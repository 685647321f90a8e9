/**
 * OSTEP's `paging-multilevel-translate.py` (chapter "Paging: Smaller Tables"): a two-level
 * page table in a 4 KiB physical memory of 128 pages of 32 bytes, for a 32 KiB virtual
 * address space (15-bit addresses).
 *
 *   va:   14 .. 10 | 9 .. 5 | 4 .. 0        entry (1 byte):  7 | 6 ....... 0
 *         pde index| pte idx| offset                         V |    pfn
 *
 * Unused directory and table entries hold 0x7f (invalid, pfn 127). Data pages hold bytes
 * 0..30. Draw order after `random.seed(seed)`: the page-directory frame, then for each
 * allocated page its vpn (retrying taken ones), its frame, a page-table frame when its
 * directory entry is new, and 32 data bytes; then per address a coin and an address.
 */
import { PyRandom } from "../base/index.js";
import { addressCountOption, computeOption, SEED_OPTION } from "./options.js";
import type { OptionSpec, OptValues } from "./optparse.js";
import { type OstepRun, record, type Transcript } from "./transcript.js";
import { flagOption, intOption, pyTrunc } from "./values.js";

export const PAGING_MULTILEVEL_OPTIONS: readonly OptionSpec[] = [
  SEED_OPTION,
  {
    short: "-a",
    long: "--allocated",
    dest: "allocated",
    type: "int",
    default: 64,
    help: "number of virtual pages allocated",
  },
  addressCountOption("--addresses", 10),
  computeOption("--solve"),
];

const PAGE_SIZE = 32;
const PAGE_SHIFT = 5;
const PHYS_PAGES = 128;
const VA_PAGES = 1024;
const PDE_MASK = 0x7c00;
const PDE_SHIFT = 10;
const PTE_MASK = 0x03e0;
const PTE_SHIFT = 5;
const OFFSET_MASK = 0x1f;
const ENTRY_VALID = 0x80;
const ENTRY_PFN = 0x7f;

/** The machine after allocation: physical memory bytes and the page directory's frame. */
export interface TwoLevelMachine {
  readonly memory: Uint8Array;
  readonly pdbr: number;
  /** The allocated vpns, in allocation order (the address generator reuses them). */
  readonly vpns: readonly number[];
}

/** One level of a walk, as the solution prints it. */
export interface WalkLevel {
  readonly index: number;
  readonly entry: number;
  readonly valid: boolean;
  readonly pfn: number;
}

/** A walk: the levels read, then a physical address and the byte there, or a fault. */
export interface TwoLevelWalk {
  readonly levels: readonly WalkLevel[];
  readonly result:
    | { readonly kind: "ok"; readonly pa: number; readonly value: number }
    | { readonly kind: "pde-fault" }
    | { readonly kind: "pte-fault" };
}

/** Walks the two-level table for `va` (15 bits) by reading the entry bytes in memory. */
export function walkTwoLevel(m: TwoLevelMachine, va: number): TwoLevelWalk {
  const pdeIndex = (va & PDE_MASK) >> PDE_SHIFT;
  const pde = m.memory[(m.pdbr << PAGE_SHIFT) | pdeIndex]!;
  const dir = readEntry(pdeIndex, pde);
  if (!dir.valid) return { levels: [dir], result: { kind: "pde-fault" } };
  const pteIndex = (va & PTE_MASK) >> PTE_SHIFT;
  const pte = m.memory[(dir.pfn << PAGE_SHIFT) | pteIndex]!;
  const leaf = readEntry(pteIndex, pte);
  if (!leaf.valid) return { levels: [dir, leaf], result: { kind: "pte-fault" } };
  const pa = (leaf.pfn << PAGE_SHIFT) | (va & OFFSET_MASK);
  return { levels: [dir, leaf], result: { kind: "ok", pa, value: m.memory[pa]! } };
}

function readEntry(index: number, entry: number): WalkLevel {
  return { index, entry, valid: (entry & ENTRY_VALID) !== 0, pfn: entry & ENTRY_PFN };
}

/** The frame allocator and memory of the simulated machine while it is being built. */
class Builder {
  readonly memory = new Uint8Array(PAGE_SIZE * PHYS_PAGES);
  private readonly frameUsed = new Uint8Array(PHYS_PAGES);
  private framesUsed = 0;

  constructor(
    private readonly rng: PyRandom,
    private readonly out: Transcript,
  ) {}

  /** A random free frame, drawn until one is free (the original asserts one remains). */
  findFree(): number {
    if (this.framesUsed >= PHYS_PAGES) {
      this.out.crash(`all ${PHYS_PAGES} physical pages are in use; allocate fewer virtual pages (-a)`);
    }
    let look = pyTrunc(this.rng.random() * PHYS_PAGES);
    while (this.frameUsed[look] === 1) look = pyTrunc(this.rng.random() * PHYS_PAGES);
    this.framesUsed++;
    this.frameUsed[look] = 1;
    return look;
  }

  /** Fills a directory or table page with invalid entries (0x7f). */
  initTablePage(pfn: number): void {
    this.memory.fill(ENTRY_PFN, pfn * PAGE_SIZE, (pfn + 1) * PAGE_SIZE);
  }

  fillDataPage(pfn: number): void {
    for (let j = 0; j < PAGE_SIZE; j++) this.memory[pfn * PAGE_SIZE + j] = pyTrunc(this.rng.random() * 31);
  }

  /** Maps `vpn` to `pfn`, allocating the page-table page when its pde is still invalid. */
  map(pdbr: number, vpn: number, pfn: number): void {
    const va = vpn << PAGE_SHIFT;
    const pdeAddr = (pdbr << PAGE_SHIFT) | ((va & PDE_MASK) >> PDE_SHIFT);
    let tablePfn = this.memory[pdeAddr]! & ENTRY_PFN;
    if ((this.memory[pdeAddr]! & ENTRY_VALID) === 0) {
      tablePfn = this.findFree();
      this.memory[pdeAddr] = ENTRY_VALID | tablePfn;
      this.initTablePage(tablePfn);
    }
    this.memory[(tablePfn << PAGE_SHIFT) | ((va & PTE_MASK) >> PTE_SHIFT)] = ENTRY_VALID | pfn;
  }
}

/** Builds the machine as `procAlloc` does, drawing from `rng`; stops when frames run out. */
export function buildTwoLevelMachine(rng: PyRandom, out: Transcript, allocated: number): TwoLevelMachine {
  const b = new Builder(rng, out);
  const pdbr = b.findFree();
  b.initTablePage(pdbr);
  if (allocated > VA_PAGES) {
    // Frames run out long before: every page needs one of the 127 frames left.
    out.crash(`cannot allocate ${allocated} virtual pages in a ${VA_PAGES}-page address space`);
  }
  const vpnUsed = new Uint8Array(VA_PAGES);
  const vpns: number[] = [];
  for (let k = 0; k < allocated; k++) {
    let vpn = pyTrunc(rng.random() * VA_PAGES);
    while (vpnUsed[vpn] === 1) vpn = pyTrunc(rng.random() * VA_PAGES);
    vpnUsed[vpn] = 1;
    vpns.push(vpn);
    const pfn = b.findFree();
    b.map(pdbr, vpn, pfn);
    b.fillDataPage(pfn);
  }
  return { memory: b.memory, pdbr, vpns };
}

/** Runs paging-multilevel-translate.py with parsed option values. */
export function runPagingMultilevel(values: OptValues): OstepRun {
  return record((out) => {
    const seed = intOption(values, "seed");
    const allocated = intOption(values, "allocated");
    const num = intOption(values, "num");
    const solve = flagOption(values, "solve");
    out.print("ARG seed", seed);
    out.print("ARG allocated", allocated);
    out.print("ARG num", num);
    out.print("");
    const rng = new PyRandom(seed);
    const m = buildTwoLevelMachine(rng, out, allocated);
    printMemory(out, m.memory);
    out.note("pdbr", m.pdbr);
    out.note("allocatedVpns", m.vpns);
    out.note(
      "memory",
      Array.from({ length: PHYS_PAGES }, (_, p) =>
        hexBytes(m.memory.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE)),
      ),
    );
    out.print("\nPDBR:", m.pdbr, " (decimal) [This means the page directory is held in this page]\n");
    for (let i = 0; i < num; i++) {
      const va = drawAddress(rng, m.vpns, i);
      const walk = walkTwoLevel(m, va);
      out.append("translations", { va, ...walk });
      if (solve) printWalk(out, va, walk);
      else
        out.printf(
          "Virtual Address %04x: Translates To What Physical Address (And Fetches what Value)? Or Fault?",
          va,
        );
    }
    out.print("");
  });
}

/** Half the time (and always past the allocated list) anywhere, else inside the i-th page. */
function drawAddress(rng: PyRandom, vpns: readonly number[], i: number): number {
  if (rng.random() * 100 > 50.0 || i >= vpns.length) return pyTrunc(rng.random() * 1024 * 32);
  return (vpns[i]! << PAGE_SHIFT) | pyTrunc(rng.random() * 32);
}

const hexBytes = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

function printMemory(out: Transcript, memory: Uint8Array): void {
  for (let page = 0; page < PHYS_PAGES; page++) {
    out.print(
      `page ${String(page).padStart(3)}:${hexBytes(memory.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE))}`,
    );
  }
}

function printWalk(out: Transcript, va: number, walk: TwoLevelWalk): void {
  out.printf("Virtual Address 0x%04x:", va);
  const [dir, leaf] = walk.levels;
  const level = "index:0x%x [decimal %d] %s contents:0x%x (valid %d, pfn 0x%02x [decimal %d])";
  if (dir)
    out.printf(
      `  --> pde ${level}`,
      dir.index,
      dir.index,
      "pde",
      dir.entry,
      dir.valid ? 1 : 0,
      dir.pfn,
      dir.pfn,
    );
  if (leaf)
    out.printf(
      `    --> pte ${level}`,
      leaf.index,
      leaf.index,
      "pte",
      leaf.entry,
      leaf.valid ? 1 : 0,
      leaf.pfn,
      leaf.pfn,
    );
  const r = walk.result;
  if (r.kind === "ok")
    out.printf("      --> Translates to Physical Address 0x%03x --> Value: 0x%02x", r.pa, r.value);
  else if (r.kind === "pde-fault") out.print("      --> Fault (page directory entry not valid)");
  else out.print("      --> Fault (page table entry not valid)");
}
