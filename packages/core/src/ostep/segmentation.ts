/**
 * OSTEP's `segmentation.py` (chapter "Segmentation"): an address space split by its top
 * bit into segment 0 (code/heap, grows up from base0) and segment 1 (stack, grows down
 * from base1 + len1), each with its own base and limit registers.
 *
 * Draw order after `random.seed(seed)`: len0, len1 (each only if -1), base0 candidates
 * until one fits, base1 candidates until one fits without overlapping segment 0, then one
 * draw per virtual address (only when no -A list is given).
 */
import type { PyRandom } from "../base/index.js";
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
  echoSeedAndSizes,
  flagOption,
  intOption,
  intOrStop,
  pyTrunc,
  sizeOrStop,
  stringOption,
} from "./values.js";

export const SEGMENTATION_OPTIONS: readonly OptionSpec[] = [
  SEED_OPTION,
  ADDRESS_LIST_OPTION,
  asizeOption("1k"),
  physmemOption("16k"),
  addressCountOption("--numaddrs", 5),
  {
    short: "-b",
    long: "--b0",
    dest: "base0",
    type: "string",
    default: "-1",
    help: "value of segment 0 base register",
  },
  {
    short: "-l",
    long: "--l0",
    dest: "len0",
    type: "string",
    default: "-1",
    help: "value of segment 0 limit register",
  },
  {
    short: "-B",
    long: "--b1",
    dest: "base1",
    type: "string",
    default: "-1",
    help: "value of segment 1 base register",
  },
  {
    short: "-L",
    long: "--l1",
    dest: "len1",
    type: "string",
    default: "-1",
    help: "value of segment 1 limit register",
  },
  computeOption(),
];

/**
 * The segment registers as the simulator keeps them: segment 1 occupies physical bytes
 * [base1, base1 + len1) and grows down from base1 + len1 (the value the user gives as -B).
 */
export interface SegmentRegisters {
  readonly base0: number;
  readonly len0: number;
  readonly base1: number;
  readonly len1: number;
}

/** Where a virtual address goes: a segment and physical address, or a violation in a segment. */
export type SegmentAnswer =
  | { readonly kind: "valid"; readonly segment: 0 | 1; readonly pa: number }
  | { readonly kind: "violation"; readonly segment: 0 | 1 };

/**
 * Translates `va` in an address space of `asize` bytes: the upper half is segment 1,
 * reached with a negative offset from its top (va - asize).
 */
export function translateSegmented(regs: SegmentRegisters, asize: number, va: number): SegmentAnswer {
  if (va >= asize / 2) {
    const pa = regs.base1 + regs.len1 + (va - asize);
    return pa < regs.base1 ? { kind: "violation", segment: 1 } : { kind: "valid", segment: 1, pa };
  }
  return va >= regs.len0
    ? { kind: "violation", segment: 0 }
    : { kind: "valid", segment: 0, pa: va + regs.base0 };
}

/** Runs segmentation.py with parsed option values. */
export function runSegmentation(values: OptValues): OstepRun {
  return record((out) => {
    const { rng, asize, psize } = echoSeedAndSizes(out, values);
    abortIf(out, psize <= 4, "must specify a bigger physical memory size");
    abortIf(out, asize === 0, "must specify a non-zero address-space size");
    abortIf(out, psize <= asize, "physical memory size > address space size (for this simulation)");
    const regs = drawSegments(rng, out, asize, psize, values);
    checkSegments(out, regs, asize, psize);
    out.note("asize", asize);
    out.note("psize", psize);
    out.note("registers", regs);
    printRegisters(out, regs);
    abortIf(
      out,
      regs.len0 + regs.base0 > regs.base1 && regs.base1 > regs.base0,
      "segments overlap in physical memory",
    );
    const addresses = stringOption(values, "addresses");
    const vas =
      addresses === "-1" ? drawAddresses(rng, asize, intOption(values, "num")) : addresses.split(",");
    printTrace(out, regs, asize, vas, flagOption(values, "solve"));
  });
}

function abortIf(out: Transcript, condition: boolean, message: string): void {
  if (condition) {
    out.print("Error:", message);
    out.exit(1);
  }
}

function drawSegments(
  rng: PyRandom,
  out: Transcript,
  asize: number,
  psize: number,
  values: OptValues,
): SegmentRegisters {
  let len0 = sizeOrStop(out, stringOption(values, "len0"), "segment 0 limit (-l)");
  let len1 = sizeOrStop(out, stringOption(values, "len1"), "segment 1 limit (-L)");
  let base0 = sizeOrStop(out, stringOption(values, "base0"), "segment 0 base (-b)");
  let base1 = sizeOrStop(out, stringOption(values, "base1"), "segment 1 base (-B)");
  if (len0 === -1) len0 = pyTrunc(asize / 4.0 + (asize / 4.0) * rng.random());
  if (len1 === -1) len1 = pyTrunc(asize / 4.0 + (asize / 4.0) * rng.random());
  if (base0 === -1 || base1 === -1) {
    abortIf(
      out,
      psize <= 2 * asize,
      "physical memory must be 2x GREATER than address space size (if randomly generating base registers)",
    );
  }
  if (base0 === -1) base0 = drawBase0(rng, out, psize, len0);
  if (base1 === -1) base1 = drawBase1(rng, out, psize, len1, base0, len0);
  else base1 = base1 - len1;
  return { base0, len0, base1, len1 };
}

function drawBase0(rng: PyRandom, out: Transcript, psize: number, len0: number): number {
  if (len0 >= psize)
    out.crash(
      `segment 0 (limit ${len0}) cannot fit in ${psize} bytes of physical memory (the original loops forever)`,
    );
  let base0: number;
  do base0 = pyTrunc(psize * rng.random());
  while (!(base0 + len0 < psize));
  return base0;
}

/** Candidates are 0..psize-1; one fits when it ends below psize and misses segment 0. */
function drawBase1(
  rng: PyRandom,
  out: Transcript,
  psize: number,
  len1: number,
  base0: number,
  len0: number,
): number {
  const highest = Math.min(psize - 1, psize - 1 - len1);
  const feasible = highest >= 0 && (highest > base0 + len0 || len1 < base0);
  if (!feasible) {
    out.crash(
      `segment 1 (limit ${len1}) cannot be placed in ${psize} bytes of physical memory beside segment 0 (the original loops forever)`,
    );
  }
  for (;;) {
    const base1 = pyTrunc(psize * rng.random());
    if (base1 + len1 < psize && (base1 > base0 + len0 || base1 + len1 < base0)) return base1;
  }
}

function checkSegments(out: Transcript, r: SegmentRegisters, asize: number, psize: number): void {
  abortIf(out, psize < r.base0 + r.len0 - 1, "seg0 is not in physical memory");
  abortIf(out, psize < r.base1, "seg1 is not in physical memory");
  abortIf(out, r.len0 > asize / 2.0, "length0 register is too large for this address space");
  abortIf(out, r.len1 > asize / 2.0, "length1 register is too large for this address space");
}

function printRegisters(out: Transcript, r: SegmentRegisters): void {
  const top1 = r.base1 + r.len1;
  out.print("Segment register information:");
  out.print("");
  out.printf("  Segment 0 base  (grows positive) : 0x%08x (decimal %d)", r.base0, r.base0);
  out.printf("  Segment 0 limit                  : %d", r.len0);
  out.print("");
  out.printf("  Segment 1 base  (grows negative) : 0x%08x (decimal %d)", top1, top1);
  out.printf("  Segment 1 limit                  : %d", r.len1);
  out.print("");
}

function printTrace(
  out: Transcript,
  regs: SegmentRegisters,
  asize: number,
  vas: readonly (number | string)[],
  solve: boolean,
): void {
  out.print("Virtual Address Trace");
  vas.forEach((v, i) => {
    const va = typeof v === "number" ? v : intOrStop(out, v, `virtual address ${i} in -A`);
    if (va < 0 || va >= asize) {
      out.printf("Error: virtual address %d cannot be generated in an address space of size %d", va, asize);
      out.exit(1);
    }
    const head = "  VA %2d: 0x%08x (decimal: %4d) --> ";
    const a = translateSegmented(regs, asize, va);
    out.append("translations", { va, ...a });
    if (!solve) {
      out.printf(`${head}PA or segmentation violation?`, i, va, va);
      return;
    }
    if (a.kind === "violation") out.printf(`${head}SEGMENTATION VIOLATION (SEG%d)`, i, va, va, a.segment);
    else out.printf(`${head}VALID in SEG%d: 0x%08x (decimal: %4d)`, i, va, va, a.segment, a.pa, a.pa);
  });
  out.print("");
  if (!solve) {
    out.print("For each virtual address, either write down the physical address it translates to");
    out.print("OR write down that it is an out-of-bounds address (a segmentation violation). For");
    out.print("this problem, you should assume a simple address space with two segments: the top");
    out.print("bit of the virtual address can thus be used to check whether the virtual address");
    out.print("is in segment 0 (topbit=0) or segment 1 (topbit=1). Note that the base/limit pairs");
    out.print("given to you grow in different directions, depending on the segment, i.e., segment 0");
    out.print("grows in the positive direction, whereas segment 1 in the negative. ");
    out.print("");
  }
}
