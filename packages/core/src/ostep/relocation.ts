/**
 * OSTEP's `relocation.py` (chapter "Address Translation"): dynamic relocation with one
 * base and one bounds (limit) register. A seeded problem places an address space of
 * `asize` bytes somewhere in `psize` bytes of physical memory and asks which virtual
 * addresses translate and to what.
 *
 * Draw order after `random.seed(seed)`: the limit (if not given), then base candidates
 * until one fits, then one draw per virtual address.
 */
import type { PyRandom } from "../base/index.js";
import { addressCountOption, asizeOption, computeOption, physmemOption, SEED_OPTION } from "./options.js";
import type { OptionSpec, OptValues } from "./optparse.js";
import { type OstepRun, record, type Transcript } from "./transcript.js";
import { echoSeedAndSizes, flagOption, intOption, pyTrunc, sizeOrStop, stringOption } from "./values.js";

export const RELOCATION_OPTIONS: readonly OptionSpec[] = [
  SEED_OPTION,
  asizeOption("1k"),
  physmemOption("16k"),
  addressCountOption("--addresses", 5),
  { short: "-b", long: "--b", dest: "base", type: "string", default: "-1", help: "value of base register" },
  { short: "-l", long: "--l", dest: "limit", type: "string", default: "-1", help: "value of limit register" },
  computeOption("--compute"),
];

/** The base and bounds registers of one problem. */
export interface BaseBounds {
  readonly base: number;
  readonly limit: number;
}

/** Where a virtual address goes under base and bounds. */
export type RelocationAnswer =
  | { readonly kind: "valid"; readonly pa: number }
  | { readonly kind: "violation" };

/** The hardware check: va < limit translates to base + va, anything else is out of bounds. */
export function relocate(regs: BaseBounds, va: number): RelocationAnswer {
  return va >= regs.limit ? { kind: "violation" } : { kind: "valid", pa: va + regs.base };
}

/**
 * Draws the registers the original draws: a limit between a quarter and half of the address
 * space (unless given, i.e. not -1), then a base where base + limit < psize (unless given).
 * Stops the run when no base can ever fit, where the original would loop forever.
 */
export function drawBaseBounds(
  rng: PyRandom,
  out: Transcript,
  asize: number,
  psize: number,
  given: BaseBounds,
): BaseBounds {
  let limit = given.limit;
  if (limit === -1) limit = pyTrunc(asize / 4.0 + (asize / 4.0) * rng.random());
  let base = given.base;
  if (base === -1) {
    if (limit >= psize) {
      out.crash(
        `no base register value fits a limit of ${limit} in ${psize} bytes of physical memory (the original loops forever)`,
      );
    }
    do base = pyTrunc(psize * rng.random());
    while (!(base + limit < psize));
  }
  return { base, limit };
}

/** Runs relocation.py with parsed option values. */
export function runRelocation(values: OptValues): OstepRun {
  return record((out) => {
    out.print("");
    const { rng, asize, psize } = echoSeedAndSizes(out, values);
    checkSizes(out, asize, psize);
    const limit = sizeOrStop(out, stringOption(values, "limit"), "limit register (-l)");
    const base = sizeOrStop(out, stringOption(values, "base"), "base register (-b)");
    const regs = drawBaseBounds(rng, out, asize, psize, { base, limit });
    out.note("asize", asize);
    out.note("psize", psize);
    out.note("registers", regs);
    printRegisters(out, regs, psize);
    printTrace(out, rng, regs, asize, intOption(values, "num"), flagOption(values, "solve"));
  });
}

function checkSizes(out: Transcript, asize: number, psize: number): void {
  if (psize <= 1) {
    out.print("Error: must specify a non-zero physical memory size.");
    out.exit(1);
  }
  if (asize === 0) {
    out.print("Error: must specify a non-zero address-space size.");
    out.exit(1);
  }
  if (psize <= asize) {
    out.print("Error: physical memory size must be GREATER than address space size (for this simulation)");
    out.exit(1);
  }
}

function printRegisters(out: Transcript, regs: BaseBounds, psize: number): void {
  out.print("Base-and-Bounds register information:");
  out.print("");
  out.printf("  Base   : 0x%08x (decimal %d)", regs.base, regs.base);
  out.printf("  Limit  : %d", regs.limit);
  out.print("");
  if (regs.base + regs.limit > psize) {
    out.print("Error: address space does not fit into physical memory with those base/bounds values.");
    out.print("Base + Limit:", regs.base + regs.limit, "  Psize:", psize);
    out.exit(1);
  }
}

function printTrace(
  out: Transcript,
  rng: PyRandom,
  regs: BaseBounds,
  asize: number,
  num: number,
  solve: boolean,
): void {
  out.print("Virtual Address Trace");
  for (let i = 0; i < num; i++) {
    const va = pyTrunc(asize * rng.random());
    const head = `  VA %2d: 0x%08x (decimal: %4d) --> `;
    const answer = relocate(regs, va);
    out.append("translations", { va, ...answer });
    if (!solve) {
      out.printf(`${head}PA or segmentation violation?`, i, va, va);
      continue;
    }
    if (answer.kind === "violation") out.printf(`${head}SEGMENTATION VIOLATION`, i, va, va);
    else out.printf(`${head}VALID: 0x%08x (decimal: %4d)`, i, va, va, answer.pa, answer.pa);
  }
  out.print("");
  if (!solve) {
    out.print("For each virtual address, either write down the physical address it translates to");
    out.print("OR write down that it is an out-of-bounds address (a segmentation violation). For");
    out.print("this problem, you should assume a simple virtual address space of a given size.");
    out.print("");
  }
}
