/**
 * Many free lists selected by size, with a two-level bitmap of the non-empty ones (one bit
 * per list, one summary bit per 32 lists), so "the first non-empty list at or above i" is
 * two count-leading-zeros away. Links live in the free blocks (next at +4, prev at +12);
 * list heads and bitmaps are the allocator's control block. Shared by segregated fits and
 * TLSF, which differ in how sizes map to lists and how a list is searched.
 */
import type { HeapOptions } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { BoundaryTagHeap } from "./boundary-tag.js";
import { hexAddr } from "./core.js";
import { NEXT, PREV } from "./explicit-list.js";

/** Index of the lowest set bit of a non-zero 32-bit value. */
export function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

export abstract class IndexedListsHeap extends BoundaryTagHeap {
  /** Each list's first block as an offset from the heap start (0: empty), a small integer. */
  private readonly heads: Int32Array;
  private readonly words: Int32Array;
  private summary = 0;

  constructor(backing: HeapBacking, opts: HeapOptions, lists: number) {
    super(backing, opts);
    this.keepTop = this.coalesce;
    this.heads = new Int32Array(lists);
    this.words = new Int32Array((lists + 31) >>> 5);
  }

  /** The first block of list `i`, or 0. */
  protected head(i: number): number {
    const o = this.heads[i]!;
    return o === 0 ? 0 : this.start + o;
  }

  /** The list a free block of `size` bytes belongs on. */
  protected abstract listOf(size: number): number;

  /**
   * Best fit within list `i`: the smallest of its first `probe` blocks that holds `asize`
   * bytes (the earliest of equal ones), or 0. Stops at a block of `stop` bytes, which none
   * in the list can beat: `asize` in the request's own list, the list's floor in a larger
   * one (so in a list of one size only, the head). Counts the blocks examined.
   */
  protected bestIn(i: number, asize: number, stop: number, probe: number): number {
    const m = this.m;
    let best = 0;
    let bestSize = 2 ** 31;
    let n = 0;
    for (let b = this.head(i); b !== 0 && n < probe; b = m.read64(b + NEXT)) {
      n++;
      const s = m.read32(b) & ~15;
      if (s >= asize && s < bestSize) {
        best = b;
        bestSize = s;
        if (s === stop) break;
      }
    }
    this.stats.searchSteps += n;
    return best;
  }

  /** The first non-empty list with index >= `i`, or -1. */
  protected firstNonEmpty(i: number): number {
    let w = i >>> 5;
    if (w >= this.words.length) return -1;
    const bits = this.words[w]! & (-1 << (i & 31));
    if (bits !== 0) return (w << 5) + ctz(bits);
    if (w + 1 >= 32) return -1;
    const s = this.summary & (-1 << (w + 1));
    if (s === 0) return -1;
    w = ctz(s);
    return (w << 5) + ctz(this.words[w]!);
  }

  protected link(b: number, size: number): void {
    const i = this.listOf(size);
    const m = this.m;
    const next = this.head(i);
    m.write64(b + NEXT, next);
    m.write64(b + PREV, 0);
    if (next !== 0) m.write64(next + PREV, b);
    else {
      this.words[i >>> 5]! |= 1 << (i & 31);
      this.summary |= 1 << (i >>> 5);
    }
    this.heads[i] = b - this.start;
  }

  protected unlink(b: number, size: number): void {
    const m = this.m;
    const next = m.read64(b + NEXT);
    const prev = m.read64(b + PREV);
    if (next !== 0) m.write64(next + PREV, prev);
    if (prev !== 0) {
      m.write64(prev + NEXT, next);
      return;
    }
    const i = this.listOf(size);
    this.heads[i] = next === 0 ? 0 : next - this.start;
    if (next === 0) {
      const w = i >>> 5;
      const bits = this.words[w]! & ~(1 << (i & 31));
      this.words[w] = bits;
      if (bits === 0) this.summary &= ~(1 << w);
    }
  }

  protected listedBlocks(problems: string[]): Set<number> {
    const seen = new Set<number>();
    for (let i = 0; i < this.heads.length; i++) {
      const bit = (this.words[i >>> 5]! >>> (i & 31)) & 1;
      if ((this.heads[i] !== 0) !== (bit === 1))
        problems.push(`list ${i}: bitmap bit disagrees with the list`);
      let prev = 0;
      for (let b = this.head(i); b !== 0; b = this.m.read64(b + NEXT)) {
        if (seen.has(b)) {
          problems.push(`list ${i}: block ${hexAddr(b)} listed twice`);
          break;
        }
        if (this.m.read64(b + PREV) !== prev) problems.push(`list ${i}: prev link of ${hexAddr(b)} is wrong`);
        if (this.listOf(this.m.read32(b) & ~15) !== i)
          problems.push(`list ${i}: ${hexAddr(b)} is in the wrong list`);
        seen.add(b);
        prev = b;
      }
    }
    for (let w = 0; w < this.words.length; w++) {
      if ((this.words[w] !== 0) !== (((this.summary >>> w) & 1) === 1))
        problems.push(`summary bit ${w} is wrong`);
    }
    return seen;
  }
}
