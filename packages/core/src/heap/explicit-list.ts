/**
 * One explicit doubly linked free list threaded through the free blocks themselves
 * (CS:APP §9.9.13): `next` at block+4, `prev` at block+12 (8-byte words just above the
 * 4-byte header), 0 ends the list. Inserted in
 * address order (a walk to the right place: slower frees, less fragmentation, Wilson et al.
 * 1995) or last-in first-out (O(1) frees). The fit policies differ only in `findFit`.
 */
import type { HeapOptions } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { BoundaryTagHeap, LINK_NEXT, LINK_PREV } from "./boundary-tag.js";
import { hexAddr } from "./core.js";

export const NEXT = LINK_NEXT;
export const PREV = LINK_PREV;

export abstract class ExplicitListHeap extends BoundaryTagHeap {
  protected head = 0;
  protected readonly addressOrdered: boolean;

  constructor(backing: HeapBacking, opts: HeapOptions) {
    super(backing, opts);
    this.addressOrdered = (opts.order ?? "address") === "address";
  }

  protected next(b: number): number {
    return this.m.read64(b + NEXT);
  }

  protected sizeOf(b: number): number {
    return this.m.read32(b) & ~15;
  }

  protected link(b: number, _size: number): void {
    const m = this.m;
    let prev = 0;
    let next = this.head;
    if (this.addressOrdered) {
      while (next !== 0 && next < b) {
        prev = next;
        next = m.read64(next + NEXT);
      }
    }
    m.write64(b + NEXT, next);
    m.write64(b + PREV, prev);
    if (prev === 0) this.head = b;
    else m.write64(prev + NEXT, b);
    if (next !== 0) m.write64(next + PREV, b);
  }

  protected unlink(b: number, _size: number): void {
    const m = this.m;
    const next = m.read64(b + NEXT);
    const prev = m.read64(b + PREV);
    if (prev === 0) this.head = next;
    else m.write64(prev + NEXT, next);
    if (next !== 0) m.write64(next + PREV, prev);
  }

  protected listedBlocks(problems: string[]): Set<number> {
    const seen = new Set<number>();
    let prev = 0;
    for (let b = this.head; b !== 0; b = this.next(b)) {
      if (seen.has(b)) {
        problems.push(`free list: cycle at ${hexAddr(b)}`);
        break;
      }
      if (this.m.read64(b + PREV) !== prev) problems.push(`free list: prev link of ${hexAddr(b)} is wrong`);
      if (this.addressOrdered && prev !== 0 && prev >= b) problems.push("free list: not in address order");
      seen.add(b);
      prev = b;
    }
    return seen;
  }
}
