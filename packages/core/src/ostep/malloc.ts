/**
 * OSTEP's `malloc.py` (chapter "Free-Space Management"): a free list searched BEST, WORST
 * or FIRST fit, kept in address order, by size (ascending or descending) or with freed
 * chunks put at the front or back, optionally coalesced, with an optional header size and
 * alignment. Allocation splits the chosen chunk and takes its front.
 *
 * Draw order after `random.seed(seed)` (random mode): per step an alloc-or-free draw, then
 * the size (alloc) or which live pointer to free (free, only when one exists).
 */
import { PyRandom } from "../base/index.js";
import {
  type AllocResult,
  FIT_POLICIES,
  type FitPolicy,
  type FreeListConfig,
  FreeListHeap,
  type FreeListOrder,
  LIST_ORDERS,
} from "./free-list.js";
import { computeOption, SEED_OPTION } from "./options.js";
import type { OptionSpec, OptValues } from "./optparse.js";
import { type OstepRun, record, type Transcript } from "./transcript.js";
import { flagOption, intOption, intOrStop, pyTrunc, stringOption } from "./values.js";

export const MALLOC_OPTIONS: readonly OptionSpec[] = [
  SEED_OPTION,
  { short: "-S", long: "--size", dest: "heapSize", type: "int", default: 100, help: "size of the heap" },
  {
    short: "-b",
    long: "--baseAddr",
    dest: "baseAddr",
    type: "int",
    default: 1000,
    help: "base address of heap",
  },
  {
    short: "-H",
    long: "--headerSize",
    dest: "headerSize",
    type: "int",
    default: 0,
    help: "size of the header",
  },
  {
    short: "-a",
    long: "--alignment",
    dest: "alignment",
    type: "int",
    default: -1,
    help: "align allocated units to size; -1->no align",
  },
  {
    short: "-p",
    long: "--policy",
    dest: "policy",
    type: "string",
    default: "BEST",
    help: "list search (BEST, WORST, FIRST)",
  },
  {
    short: "-l",
    long: "--listOrder",
    dest: "order",
    type: "string",
    default: "ADDRSORT",
    help: "list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, INSERT-BACK)",
  },
  {
    short: "-C",
    long: "--coalesce",
    dest: "coalesce",
    type: "flag",
    default: false,
    help: "coalesce the free list?",
  },
  {
    short: "-n",
    long: "--numOps",
    dest: "opsNum",
    type: "int",
    default: 10,
    help: "number of random ops to generate",
  },
  { short: "-r", long: "--range", dest: "opsRange", type: "int", default: 10, help: "max alloc size" },
  {
    short: "-P",
    long: "--percentAlloc",
    dest: "opsPAlloc",
    type: "int",
    default: 50,
    help: "percent of ops that are allocs",
  },
  {
    short: "-A",
    long: "--allocList",
    dest: "opsList",
    type: "string",
    default: "",
    help: "instead of random, list of ops (+10,-0,etc)",
  },
  computeOption("--compute"),
];

/** Runs malloc.py with parsed option values. */
export function runMalloc(values: OptValues): OstepRun {
  return record((out) => {
    const heap = new FreeListHeap(heapConfig(values, out));
    printSettings(out, values);
    const percent = intOption(values, "opsPAlloc") / 100.0;
    const rng = new PyRandom(intOption(values, "seed"));
    if (!(percent > 0))
      out.crash(`the percent of allocations (-P) must be positive, not ${intOption(values, "opsPAlloc")}`);
    const opsList = stringOption(values, "opsList");
    const solve = flagOption(values, "solve");
    if (opsList === "") runRandomOps(out, rng, heap, values, solve);
    else runListedOps(out, heap, opsList, solve);
  });
}

function heapConfig(values: OptValues, out: Transcript): FreeListConfig {
  const policy = stringOption(values, "policy");
  const order = stringOption(values, "order");
  const align = intOption(values, "alignment");
  if (!FIT_POLICIES.includes(policy))
    out.crash(`unknown policy '${policy}' (-p): expected BEST, WORST or FIRST`);
  if (!LIST_ORDERS.includes(order)) {
    out.crash(
      `unknown list order '${order}' (-l): expected ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT or INSERT-BACK`,
    );
  }
  if (align !== -1 && !(align > 0)) out.crash(`alignment (-a) must be -1 (none) or positive, not ${align}`);
  return {
    size: intOption(values, "heapSize"),
    start: intOption(values, "baseAddr"),
    headerSize: intOption(values, "headerSize"),
    policy: policy as FitPolicy,
    order: order as FreeListOrder,
    coalesce: flagOption(values, "coalesce"),
    align: align === -1 ? null : align,
  };
}

function printSettings(out: Transcript, v: OptValues): void {
  out.print("seed", intOption(v, "seed"));
  out.print("size", intOption(v, "heapSize"));
  out.print("baseAddr", intOption(v, "baseAddr"));
  out.print("headerSize", intOption(v, "headerSize"));
  out.print("alignment", intOption(v, "alignment"));
  out.print("policy", stringOption(v, "policy"));
  out.print("listOrder", stringOption(v, "order"));
  out.print("coalesce", flagOption(v, "coalesce"));
  out.print("numOps", intOption(v, "opsNum"));
  out.print("range", intOption(v, "opsRange"));
  out.print("percentAlloc", intOption(v, "opsPAlloc"));
  out.print("allocList", stringOption(v, "opsList"));
  out.print("compute", flagOption(v, "solve"));
  out.print("");
}

function printFreeList(out: Transcript, heap: FreeListHeap): void {
  out.write("Free List [ Size %d ]: ", heap.freeList.length);
  for (const c of heap.freeList) out.write("[ addr:%d sz:%d ]", c.addr, c.size);
  out.print("");
}

function mallocOrStop(out: Transcript, heap: FreeListHeap, size: number): AllocResult {
  const r = heap.malloc(size);
  if (r.overlap)
    out.crash(
      `Alloc(${size}) would hand out an address that is already allocated (the original fails an assertion)`,
    );
  return r;
}

/** Records an allocation in the run's facts (the chunk's address, null when nothing fit). */
function noteAlloc(out: Transcript, heap: FreeListHeap, ptr: number, size: number, r: AllocResult): void {
  out.append("operations", {
    kind: "alloc",
    ptr,
    size,
    addr: r.addr,
    searched: r.searched,
    freeList: [...heap.freeList],
  });
}

/** A failed malloc prints -1 as the original's address (plus the header size in random mode). */
const addrOrMinusOne = (r: AllocResult): number => r.addr ?? -1;

function runRandomOps(
  out: Transcript,
  rng: PyRandom,
  heap: FreeListHeap,
  v: OptValues,
  solve: boolean,
): void {
  const percent = intOption(v, "opsPAlloc") / 100.0;
  const range = intOption(v, "opsRange");
  const headerSize = intOption(v, "headerSize");
  const ptrs = new Map<number, number>();
  const live: number[] = [];
  let next = 0;
  for (let done = 0; done < intOption(v, "opsNum"); ) {
    if (rng.random() < percent) {
      const size = pyTrunc(rng.random() * range) + 1;
      const r = mallocOrStop(out, heap, size);
      if (r.addr !== null) {
        ptrs.set(next, r.addr);
        live.push(next);
      }
      out.write("ptr[%d] = Alloc(%d)", next, size);
      noteAlloc(out, heap, next, size, r);
      if (solve)
        out.printf(" returned %d (searched %d elements)", addrOrMinusOne(r) + headerSize, r.searched);
      else out.print(" returned ?");
      next++;
    } else {
      if (ptrs.size === 0) continue;
      const d = pyTrunc(rng.random() * live.length);
      const victim = live[d]!;
      const rc = heap.free(ptrs.get(victim)!);
      out.append("operations", { kind: "free", ptr: victim, rc, freeList: [...heap.freeList] });
      out.printf("Free(ptr[%d])", victim);
      out.print(solve ? `returned ${rc}` : "returned ?");
      ptrs.delete(victim);
      live.splice(d, 1);
    }
    done++;
    if (solve) printFreeList(out, heap);
    else out.print("List? ");
    out.print("");
  }
}

function runListedOps(out: Transcript, heap: FreeListHeap, opsList: string, solve: boolean): void {
  const ptrs = new Map<number, number>();
  let next = 0;
  for (const op of opsList.split(",")) {
    if (op.startsWith("+")) {
      const size = intOrStop(out, op.split("+")[1]!, `allocation '${op}' in -A`);
      const r = mallocOrStop(out, heap, size);
      if (r.addr !== null) ptrs.set(next, r.addr);
      out.write("ptr[%d] = Alloc(%d)", next, size);
      noteAlloc(out, heap, next, size, r);
      if (solve) out.printf(" returned %d (searched %d elements)", addrOrMinusOne(r), r.searched);
      else out.print(" returned ?");
      next++;
    } else if (op.startsWith("-")) {
      const index = intOrStop(out, op.split("-")[1]!, `free '${op}' in -A`);
      if (index >= ptrs.size) {
        out.print("Invalid Free: Skipping");
        out.append("operations", { kind: "free", ptr: index, skipped: true });
        continue;
      }
      out.printf("Free(ptr[%d])", index);
      const addr = ptrs.get(index);
      if (addr === undefined)
        out.crash(`free '${op}' in -A: ptr[${index}] was never allocated (its allocation failed)`);
      const rc = heap.free(addr);
      out.append("operations", { kind: "free", ptr: index, rc, freeList: [...heap.freeList] });
      out.print(solve ? `returned ${rc}` : "returned ?");
    } else {
      out.crash(`bad operation '${op}' in -A: expected +SIZE (allocate) or -INDEX (free)`);
    }
    if (solve) printFreeList(out, heap);
    else out.print("List?");
    out.print("");
  }
}
