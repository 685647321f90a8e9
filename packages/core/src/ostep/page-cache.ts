/**
 * The page cache of OSTEP's `paging-policy.py`: a list of resident pages (newest on the
 * right) under FIFO, LRU, MRU, OPT (Belady), UNOPT (evicts the page needed soonest), RAND,
 * or the book's CLOCK (a counter of up to `clockBits` per page and a randomly placed hand).
 * Cost per access: O(C) for the list operations, O(C * N) for OPT/UNOPT's look-ahead.
 */
import type { PyRandom } from "../base/index.js";
import type { Transcript } from "./transcript.js";
import { pyTrunc } from "./values.js";

export type CachePolicy = "FIFO" | "LRU" | "MRU" | "OPT" | "UNOPT" | "RAND" | "CLOCK";

/** The policies, by name. */
export const CACHE_POLICIES: readonly CachePolicy[] = ["FIFO", "LRU", "MRU", "OPT", "UNOPT", "RAND", "CLOCK"];

/** True when `p` names one of the policies. */
export const isCachePolicy = (p: string): p is CachePolicy =>
  (CACHE_POLICIES as readonly string[]).includes(p);

/** One reference: the page, whether it hit, the page evicted (null if none), memory after it. */
export interface CacheStep {
  readonly page: number;
  readonly hit: boolean;
  readonly victim: number | null;
  readonly memory: readonly number[];
}

/**
 * The reference string as the original holds it: numbers (generated or read from a file)
 * or the raw text of `-a`, parsed when first needed; `pageAt` stops the run on bad text.
 */
export interface ReferenceString {
  readonly length: number;
  pageAt(i: number): number;
}

/**
 * The page cache. `access` looks the page up, on a miss with a full cache asks the policy
 * for a victim, then appends the page (the list's right end is the newest) and updates the
 * page's clock counter (1 on first sight, else +1 capped at `clockBits`).
 */
export class PageCache {
  readonly memory: number[] = [];
  private readonly ref = new Map<number, number>();

  constructor(
    private readonly policy: CachePolicy,
    private readonly capacity: number,
    private readonly clockBits: number,
    private readonly rng: PyRandom,
    private readonly refs: ReferenceString,
    private readonly out: Transcript,
  ) {}

  /** Accesses `page`, the `index`-th reference (OPT and UNOPT look ahead from there). */
  access(page: number, index: number): CacheStep {
    const hit = this.memory.includes(page);
    let victim: number | null = null;
    if (hit && (this.policy === "LRU" || this.policy === "MRU")) {
      this.memory.splice(this.memory.indexOf(page), 1);
      this.memory.push(page);
    }
    if (!hit) {
      if (this.memory.length === this.capacity) victim = this.evict(index);
      this.memory.push(page);
    }
    const count = this.ref.get(page);
    this.ref.set(page, count === undefined ? 1 : Math.min(count + 1, this.clockBits));
    return { page, hit, victim, memory: [...this.memory] };
  }

  private evict(index: number): number {
    const m = this.memory;
    if (m.length === 0)
      this.out.crash(
        "a cache size (-C) of 0 pages cannot hold any page (the original fails with an IndexError)",
      );
    let at: number;
    switch (this.policy) {
      case "FIFO":
      case "LRU":
        at = 0;
        break;
      case "MRU":
        at = m.length - 1;
        break;
      case "RAND":
        at = pyTrunc(this.rng.random() * m.length);
        break;
      case "CLOCK":
        at = this.clockHand();
        break;
      case "OPT":
        at = this.lookAhead(index, (when, best) => when >= best, -1);
        break;
      case "UNOPT":
        at = this.lookAhead(index, (when, best) => when < best, this.refs.length + 1);
        break;
    }
    const [victim] = m.splice(at, 1);
    if (this.policy === "CLOCK") this.ref.delete(victim!);
    return victim!;
  }

  /** Random probes: a page with counter >= 1 loses one; the first at 0 is the victim. */
  private clockHand(): number {
    for (;;) {
      const at = pyTrunc(this.rng.random() * this.memory.length);
      const page = this.memory[at]!;
      const count = this.ref.get(page)!;
      if (count < 1) return at;
      this.ref.set(page, count - 1);
    }
  }

  /**
   * The index of the resident page whose next use (the reference string's length when
   * never) wins under `better`; OPT keeps the last of equals (>=), UNOPT the first (<).
   */
  private lookAhead(index: number, better: (when: number, best: number) => boolean, start: number): number {
    let best = start;
    let bestAt = -1;
    this.memory.forEach((page, at) => {
      let when = this.refs.length;
      for (let f = index + 1; f < this.refs.length; f++) {
        if (this.refs.pageAt(f) === page) {
          when = f;
          break;
        }
      }
      if (better(when, best)) {
        best = when;
        bestAt = at;
      }
    });
    return bestAt;
  }
}
