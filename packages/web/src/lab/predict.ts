import type { PolicyGrid } from "../engine/replacement-grid.js";
import { narrateReference } from "./grid.js";

/** What a student predicts for the next reference of one policy. */
export interface ReplacementGuess {
  readonly outcome: "hit" | "miss";
  /** The frame the policy will evict (only for a miss when every frame is full). */
  readonly victim?: number;
}

/** The lab's verdict on a guess, with the engine's own account of what happened. */
export interface Grade {
  readonly correct: boolean;
  readonly explanation: string;
}

/** How each policy chooses, in one clause, for the explanation. */
const RULES: Readonly<Record<string, string>> = {
  fifo: "FIFO evicts the page that has been resident longest",
  lru: "LRU evicts the page whose last use is oldest",
  mru: "MRU evicts the page used most recently",
  opt: "OPT evicts the page whose next use is furthest in the future",
  clock:
    "Clock sweeps its hand past referenced pages, clearing their bit, and evicts the first unreferenced one",
  lfu: "LFU evicts the page referenced least often",
  random: "Random evicts a frame drawn from its seeded generator",
  nru: "NRU evicts from the lowest class of (referenced, modified): unreferenced clean pages first",
  aging: "Aging evicts the page with the smallest aging counter (referenced bits shifted in over time)",
  ws: "Working Set evicts pages not referenced within its window τ",
  wsclock: "WSClock sweeps its hand and evicts the first page that is unreferenced and older than its window",
  arc: "ARC evicts from its recency list or its frequency list, balancing the two by recent ghost hits",
  "2q": "2Q evicts first from its FIFO of pages seen once, keeping pages seen twice in its LRU list",
  lirs: "LIRS evicts a resident page with high inter-reference recency (a HIR page)",
  sieve: "SIEVE moves its hand from the tail, clearing visited bits, and evicts the first unvisited page",
  "s3-fifo":
    "S3-FIFO evicts from its small FIFO pages not re-referenced, promoting the others to its main FIFO",
};

/** True when reference `t` needs a victim: a miss with every frame already full. */
export function needsVictim(grid: PolicyGrid, t: number): boolean {
  return grid.hit[t] === 0 && grid.victim[t]! >= 0;
}

/** Grades `guess` against what the engine did at reference `t`. */
export function gradeReplacement(
  grid: PolicyGrid,
  refs: ArrayLike<number>,
  t: number,
  guess: ReplacementGuess,
): Grade {
  const actual = grid.hit[t] === 1 ? "hit" : "miss";
  const victimRight = !needsVictim(grid, t) || guess.victim === grid.victim[t];
  const correct = guess.outcome === actual && (actual === "hit" || victimRight);
  const rule = RULES[grid.policy] ?? `${grid.policy.toUpperCase()} chose by its own rule`;
  const what = narrateReference(grid, refs, t);
  const why = needsVictim(grid, t) ? ` ${rule}.` : "";
  return { correct, explanation: `${correct ? "Right" : "Not quite"}. ${what}${why}` };
}
