/**
 * Segregated fits (Wilson et al. 1995, §3.6; the bins of dlmalloc): one free list per size
 * class, with a bitmap of the non-empty ones. Classes are exact below 1 KiB (one per 16
 * bytes) and 32 per power of two above. A request takes the best fit among the first 32
 * blocks of its own class (in an exact class: the head), else the smallest of the first 32
 * blocks of the next non-empty class (all of which fit). Cost per malloc: O(1), at most
 * 2 × 32 blocks examined; close to best fit in fragmentation.
 */
import type { HeapOptions } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { IndexedListsHeap } from "./indexed-lists.js";

const EXACT_LIMIT = 1024;
const SUB_LOG2 = 5;
const CLASSES = 64 + (31 - 10) * (1 << SUB_LOG2);
/** Blocks examined per list. */
const PROBE = 32;

/** The size class of a free block of `size` bytes. */
export function segregatedClass(size: number): number {
  if (size < EXACT_LIMIT) return size >>> 4;
  const f = 31 - Math.clz32(size);
  return 64 + ((f - 10) << SUB_LOG2) + ((size >>> (f - SUB_LOG2)) & ((1 << SUB_LOG2) - 1));
}

/** The smallest block size of class `c` (the inverse of `segregatedClass` at class floors). */
export function segregatedClassFloor(c: number): number {
  if (c < 64) return c << 4;
  const f = 10 + ((c - 64) >>> SUB_LOG2);
  return ((1 << f) >>> 0) + (((c - 64) & ((1 << SUB_LOG2) - 1)) << (f - SUB_LOG2));
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
    const c = segregatedClass(asize);
    const own = this.bestIn(c, asize, asize, PROBE);
    if (own !== 0) return own;
    const i = this.firstNonEmpty(c + 1);
    return i < 0 ? 0 : this.bestIn(i, asize, segregatedClassFloor(i), PROBE);
  }
}
