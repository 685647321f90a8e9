/**
 * Segregated fits (Wilson et al. 1995, §3.6; the small bins of dlmalloc): one free list
 * per size class. Classes are exact below 1 KiB (one per 16 bytes) and powers of two
 * above. A request searches its own class first fit, then takes the head of the next
 * non-empty larger class (found through a bitmap), whose blocks all fit.
 * Cost per malloc: O(1) for small sizes, a scan of one class list for large ones.
 */
import type { HeapOptions } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { NEXT } from "./explicit-list.js";
import { IndexedListsHeap } from "./indexed-lists.js";

const EXACT_LIMIT = 1024;
const CLASSES = 64 + 22;

export class SegregatedFitHeap extends IndexedListsHeap {
  readonly name: string = "segregated";

  constructor(backing: HeapBacking, opts: HeapOptions = {}) {
    super(backing, opts, CLASSES);
  }

  protected listOf(size: number): number {
    return size < EXACT_LIMIT ? size >>> 4 : 64 + (31 - Math.clz32(size)) - 10;
  }

  protected findFit(asize: number): number {
    const c = this.listOf(asize);
    let steps = 0;
    const m = this.m;
    for (let b = this.head(c); b !== 0; b = m.read64(b + NEXT)) {
      steps++;
      if ((m.read64(b) & ~15) >= asize) {
        this.stats.searchSteps += steps;
        return b;
      }
    }
    const i = this.firstNonEmpty(c + 1);
    this.stats.searchSteps += steps + 1;
    return i < 0 ? 0 : this.head(i);
  }
}
