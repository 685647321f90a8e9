/**
 * The leak check of Valgrind's Memcheck (memcheck/mc_leakcheck.c; user manual §4.2.8):
 *
 * 1. Roots are the aligned pointer-sized words of the root memory (stack, data, bss;
 *    registers once programs run). A word equal to a block's start makes the block
 *    Reachable; a word pointing inside it only makes it Possible (unless already
 *    Reachable). Every newly marked block is scanned the same way, a block's own state
 *    deciding whether what it points to can be Reachable (a start pointer from a
 *    Reachable block) or only Possible.
 * 2. The blocks still Unreached are visited in address order; each becomes a clique
 *    leader and everything Unreached it reaches, start or interior pointer alike, joins
 *    its clique as IndirectLeak, adding its bytes to the leader's indirect size (an
 *    earlier leader reached this way hands over its own indirect bytes).
 * 3. Leaders are "definitely lost", clique members "indirectly lost", Possible blocks
 *    "possibly lost", Reachable ones "still reachable". Blocks with the same state and
 *    the same allocation stack form one loss record; records are sorted by total size,
 *    then state, then block count, then first allocation.
 *
 * Valgrind's interior-pointer heuristics (std::string, new[] lengths, multiple
 * inheritance) are C++ specific and not modelled.
 */
import type { HeapBlock, Where } from "./memcheck.js";

export type LeakState = "definitely lost" | "indirectly lost" | "possibly lost" | "still reachable";

/** A range of root memory [start, end) scanned for pointers. */
export interface RootRange {
  readonly start: number;
  readonly end: number;
}

export interface LossRecord {
  readonly state: LeakState;
  /** Bytes of the blocks themselves. */
  readonly direct: number;
  /** Bytes they keep alive indirectly (definitely lost records only). */
  readonly indirect: number;
  readonly blocks: number;
  readonly where: Where;
}

export interface LeakTotals {
  readonly bytes: number;
  readonly blocks: number;
}

export interface LeakReport {
  /** Sorted as Valgrind numbers them: "loss record i of n". */
  readonly records: readonly LossRecord[];
  readonly definite: LeakTotals;
  readonly indirect: LeakTotals;
  readonly possible: LeakTotals;
  readonly reachable: LeakTotals;
  /** The state of each block, by its address. */
  readonly stateOf: ReadonlyMap<number, LeakState>;
}

const UNREACHED = 0;
const INDIRECT = 1;
const POSSIBLE = 2;
const REACHABLE = 3;
const STATE_NAMES: readonly LeakState[] = [
  "definitely lost",
  "indirectly lost",
  "possibly lost",
  "still reachable",
];

/**
 * Classifies the live `blocks` given the root memory and a way to read 8-byte words.
 * `read64` must read without side effects (a peek). Pure otherwise.
 */
export function leakCheck(
  blocks: Iterable<HeapBlock>,
  roots: readonly RootRange[],
  read64: (addr: number) => number,
): LeakReport {
  const bs = [...blocks].sort((a, b) => a.addr - b.addr);
  const n = bs.length;
  const state = new Uint8Array(n);
  const indirect = new Float64Array(n);
  const stack: number[] = [];
  const find = (ptr: number): number => findBlock(bs, ptr);

  const pushRoot = (i: number, ptr: number, priorDefinite: boolean): void => {
    if (state[i] === REACHABLE) return;
    if (ptr === bs[i]!.addr && priorDefinite) {
      state[i] = REACHABLE;
      stack.push(i);
    } else if (state[i] === UNREACHED) {
      state[i] = POSSIBLE;
      stack.push(i);
    }
  };
  const pushClique = (i: number, clique: number): void => {
    if (state[i] !== UNREACHED || i === clique) return;
    stack.push(i);
    indirect[clique]! += bs[i]!.size + indirect[i]!;
    indirect[i] = 0;
    state[i] = INDIRECT;
  };
  const drain = (clique: number): void => {
    while (stack.length > 0) {
      const i = stack.pop()!;
      const b = bs[i]!;
      const definite = state[i] === REACHABLE;
      forEachWord(alignUp8(b.addr), b.addr + b.size, read64, (w) => {
        const j = find(w);
        if (j < 0) return;
        if (clique < 0) pushRoot(j, w, definite);
        else pushClique(j, clique);
      });
    }
  };

  for (const r of roots) {
    forEachWord(alignUp8(r.start), r.end, read64, (w) => {
      const j = find(w);
      if (j >= 0) {
        pushRoot(j, w, true);
        drain(-1);
      }
    });
  }
  for (let i = 0; i < n; i++) {
    if (state[i] !== UNREACHED) continue;
    stack.push(i);
    drain(i);
  }
  return summarise(bs, state, indirect);
}

function alignUp8(a: number): number {
  return a % 8 === 0 ? a : a + 8 - (a % 8);
}

/** Calls `fn` with each whole 8-byte word in [start, end), start being 8-aligned. */
function forEachWord(
  start: number,
  end: number,
  read64: (a: number) => number,
  fn: (w: number) => void,
): void {
  for (let a = start; a + 8 <= end; a += 8) {
    const w = read64(a);
    if (w !== 0) fn(w);
  }
}

/** The block that `ptr` points into (a zero-size block only by its start), or -1. */
function findBlock(bs: readonly HeapBlock[], ptr: number): number {
  let lo = 0;
  let hi = bs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const b = bs[mid]!;
    if (ptr < b.addr) hi = mid - 1;
    else if (ptr >= b.addr + Math.max(b.size, 1)) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function summarise(bs: readonly HeapBlock[], state: Uint8Array, indirect: Float64Array): LeakReport {
  const groups = new Map<string, { rec: LossRecord; order: number }>();
  const totals = [0, 0, 0, 0].map(() => ({ bytes: 0, blocks: 0 }));
  const stateOf = new Map<number, LeakState>();
  const contextOrder = new Map<string, number>();
  bs.forEach((b, i) => {
    const s = state[i]!;
    const ctx = b.allocWhere.join("\n");
    if (!contextOrder.has(ctx)) contextOrder.set(ctx, contextOrder.size);
    stateOf.set(b.addr, STATE_NAMES[s]!);
    totals[s]!.bytes += b.size;
    totals[s]!.blocks++;
    const key = `${s}\u0000${ctx}`;
    const g = groups.get(key);
    const ind = s === UNREACHED ? indirect[i]! : 0;
    const rec: LossRecord = {
      state: STATE_NAMES[s]!,
      direct: (g?.rec.direct ?? 0) + b.size,
      indirect: (g?.rec.indirect ?? 0) + ind,
      blocks: (g?.rec.blocks ?? 0) + 1,
      where: b.allocWhere,
    };
    groups.set(key, { rec, order: contextOrder.get(ctx)! });
  });
  // Valgrind's Reachedness order (mc_include.h): Reachable, Possible, IndirectLeak, Unreached.
  const rank = (st: LeakState) => 3 - STATE_NAMES.indexOf(st);
  const records = [...groups.values()]
    .sort(
      (a, b) =>
        a.rec.direct + a.rec.indirect - (b.rec.direct + b.rec.indirect) ||
        rank(a.rec.state) - rank(b.rec.state) ||
        a.rec.blocks - b.rec.blocks ||
        a.order - b.order,
    )
    .map((g) => g.rec);
  return {
    records,
    definite: totals[UNREACHED]!,
    indirect: totals[INDIRECT]!,
    possible: totals[POSSIBLE]!,
    reachable: totals[REACHABLE]!,
    stateOf,
  };
}
