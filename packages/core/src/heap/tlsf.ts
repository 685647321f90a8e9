/**
 * TLSF, two-level segregated fit (Masmano, Ripoll, Crespo and Real, "TLSF: a new dynamic
 * memory allocator for real-time systems", ECRTS 2004). Sizes map to a first level (the
 * power of two) and 32 second-level subranges of it; a request is rounded up to the next
 * subrange so that the head of the first non-empty list at or above it always fits ("good
 * fit"). Two bitmaps make malloc and free O(1). One refinement, still O(1): a request
 * first takes the best fit among the first 32 blocks of its own (unrounded) list, and
 * from the list the bitmaps find, the smallest of its first 32 blocks rather than the
 * head; that spares larger blocks and brings fragmentation close to best fit's.
 *
 *   size < 512:  fl = 0, sl = size / 16
 *   otherwise:   f = floor(log2 size), sl = (size >> (f - 5)) - 32, fl = f - 8
 */
import type { HeapOptions } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { IndexedListsHeap } from "./indexed-lists.js";

const SL_LOG2 = 5;
const SMALL = 512;
const FL_COUNT = 24;
/** Blocks examined per list. */
const PROBE = 32;

/** TLSF's mapping_insert: the list index (fl * 32 + sl) of a free block of `size` bytes. */
export function tlsfIndex(size: number): number {
  if (size < SMALL) return size >>> 4;
  const f = 31 - Math.clz32(size);
  return ((f - 8) << SL_LOG2) + ((size >>> (f - SL_LOG2)) - 32);
}

/** The smallest block size list `i` holds (the inverse of `tlsfIndex` at list floors). */
export function tlsfListFloor(i: number): number {
  if (i < SMALL >>> 4) return i << 4;
  const f = (i >>> SL_LOG2) + 8;
  return ((1 << f) >>> 0) + ((i & ((1 << SL_LOG2) - 1)) << (f - SL_LOG2));
}

/** TLSF's mapping_search: the first list whose every block holds `size` bytes. */
export function tlsfSearchIndex(size: number): number {
  if (size >= SMALL) size += (1 << (31 - Math.clz32(size) - SL_LOG2)) - 1;
  return tlsfIndex(size);
}

export class TlsfHeap extends IndexedListsHeap {
  readonly name: string = "tlsf";

  constructor(backing: HeapBacking, opts: HeapOptions = {}) {
    super(backing, opts, FL_COUNT << SL_LOG2);
  }

  protected listOf(size: number): number {
    return tlsfIndex(size);
  }

  protected findFit(asize: number): number {
    const own = this.bestIn(tlsfIndex(asize), asize, asize, PROBE);
    if (own !== 0) return own;
    this.stats.searchSteps++;
    const i = this.firstNonEmpty(tlsfSearchIndex(asize));
    return i < 0 ? 0 : this.bestIn(i, asize, tlsfListFloor(i), PROBE);
  }
}
