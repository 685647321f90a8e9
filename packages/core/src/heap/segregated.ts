/**
 * Segregated fits (Wilson et al. 1995, §3.6; the bins of dlmalloc): one free list per size
 * class, with a bitmap of the non-empty ones. Classes are exact below 1 KiB (one per 16
 * bytes) and eight per power of two above. A request looks at a few blocks of its own
 * class for the best fit, then at a few blocks of the next non-empty larger class (all of
 * which fit) for the smallest. Cost per malloc: O(1) with at most 2 × 8 blocks examined.
 */
import type { HeapOptions } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { NEXT } from "./explicit-list.js";
import { IndexedListsHeap } from "./indexed-lists.js";

const EXACT_LIMIT = 1024;
const SUB_LOG2 = 3;
const CLASSES = 64 + (31 - 10) * (1 << SUB_LOG2);
/** Blocks examined per list. */
const PROBE = 8;

/** The size class of a free block of `size` bytes. */
export function segregatedClass(size: number): number {
  if (size < EXACT_LIMIT) return size >>> 4;
  const f = 31 - Math.clz32(size);
  return 64 + ((f - 10) << SUB_LOG2) + ((size >>> (f - SUB_LOG2)) & ((1 << SUB_LOG2) - 1));
}

export class SegregatedFitHeap extends IndexedListsHeap {
  readonly name: string = "segregated";

  constructor(backing: HeapBacking, opts: HeapOptions = {}) {
    super(backing, opts, CLASSES);
  }

  protected listOf(size: number): number {
    return segregatedClass(size);
  }

  protected findFit(asize: number): number {
    const c = this.listOf(asize);
    const own = this.bestOf(c, asize);
    if (own !== 0) return own;
    const i = this.firstNonEmpty(c + 1);
    return i < 0 ? 0 : this.bestOf(i, asize);
  }

  /** The smallest of the first PROBE blocks of list `i` that hold `asize` bytes, or 0. */
  private bestOf(i: number, asize: number): number {
    const m = this.m;
    let best = 0;
    let bestSize = Number.POSITIVE_INFINITY;
    let n = 0;
    for (let b = this.head(i); b !== 0 && n < PROBE; b = m.read64(b + NEXT)) {
      n++;
      const s = m.read32(b) & ~15;
      if (s >= asize && s < bestSize) {
        best = b;
        bestSize = s;
        if (s === asize) break;
      }
    }
    this.stats.searchSteps += n;
    return best;
  }
}
