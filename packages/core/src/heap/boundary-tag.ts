/**
 * The boundary-tag heap (Knuth, TAOCP vol. 1 §2.5; the layout of CS:APP §9.9 and of
 * dlmalloc/glibc): the brk heap is a sequence of blocks, each with a header word holding
 * its size and two flags, and free blocks also carry a footer (a copy of the size) so the
 * block above can find them when it is freed. Allocated blocks have no footer; instead
 * each header's PREV_IN_USE bit says whether the block below is allocated.
 *
 *   heap start (16-aligned)
 *   | 8 pad | hdr | payload ........ | hdr | next | prev | ..... | ftr | hdr=0|USED (epilogue) | brk
 *           ^ block (≡ 8 mod 16)     ^ a free block: links in the first payload words
 *
 * Minimum block 32 bytes (header, two links, footer). A policy subclass only supplies the
 * free-list index: `link`, `unlink`, `findFit` and a consistency check of its lists; this
 * class owns splitting, coalescing, growing with sbrk and trimming (the engine decides,
 * the policy chooses).
 */
import { alignUp, type HeapOptions, type WalkedBlock } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { HeapCore, hexAddr, IN_USE, PREV_IN_USE } from "./core.js";

export const MIN_BLOCK = 32;
const SIZE_MASK = ~15;

/** The block size that serves a request of `n` bytes (header included, 16-aligned). */
export function blockSizeFor(n: number): number {
  return n <= 24 ? MIN_BLOCK : (n + 23) & SIZE_MASK;
}

export abstract class BoundaryTagHeap extends HeapCore {
  protected readonly coalesce: boolean;
  protected start = -1;
  protected brk = -1;

  constructor(backing: HeapBacking, opts: HeapOptions) {
    super(backing, opts);
    this.coalesce = opts.coalesce ?? true;
  }

  /** Adds the free block `b` of `size` bytes to the free-list index. */
  protected abstract link(b: number, size: number): void;
  /** Removes the free block `b` of `size` bytes from the index. */
  protected abstract unlink(b: number, size: number): void;
  /** A free block of at least `asize` bytes, still linked, or 0; counts search steps. */
  protected abstract findFit(asize: number): number;
  /** Every block the index holds, checking its links; problems go to `problems`. */
  protected abstract listedBlocks(problems: string[]): Set<number>;

  heapStart(): number {
    return Math.max(this.start, 0);
  }

  heapEnd(): number {
    return Math.max(this.brk, 0);
  }

  /** Lays out the empty heap: padding and an epilogue header. False when sbrk fails. */
  private init(): boolean {
    let s = this.sbrk(0);
    if (s < 0) return false;
    const pad = (16 - (s % 16)) % 16;
    if (this.sbrk(pad + 16) < 0) return false;
    s += pad;
    this.start = s;
    this.brk = s + 16;
    this.m.write64(s, 0);
    this.m.write64(s + 8, IN_USE | PREV_IN_USE);
    return true;
  }

  protected heapAlloc(n: number): number {
    if (this.brk < 0 && !this.init()) return 0;
    const asize = blockSizeFor(n);
    let b = this.findFit(asize);
    if (b !== 0) this.unlink(b, this.m.read64(b) & SIZE_MASK);
    else {
      b = this.extend(asize);
      if (b === 0) return 0;
    }
    this.place(b, asize);
    return b + 8;
  }

  /** Marks the unlinked free block `b` allocated with `asize` bytes, splitting off the rest. */
  private place(b: number, asize: number): void {
    const m = this.m;
    const h = m.read64(b);
    const size = h & SIZE_MASK;
    const rest = size - asize;
    if (rest >= MIN_BLOCK) {
      m.write64(b, asize | IN_USE | (h & PREV_IN_USE));
      const r = b + asize;
      m.write64(r, rest | PREV_IN_USE);
      m.write64(r + rest - 8, rest);
      this.link(r, rest);
      this.stats.splits++;
      this.sink?.emit({ kind: "heap-split", block: b, size: asize, rest });
    } else {
      m.write64(b, size | IN_USE | (h & PREV_IN_USE));
      const nx = b + size;
      m.write64(nx, m.read64(nx) | PREV_IN_USE);
    }
  }

  /**
   * Grows the heap so that a block of `asize` bytes exists at the top, merging the last
   * block when it is free. Returns that block (unlinked), or 0 when sbrk fails.
   */
  private extend(asize: number): number {
    const m = this.m;
    const epi = this.brk - 8;
    const he = m.read64(epi);
    const lastFree = this.coalesce && (he & PREV_IN_USE) === 0;
    const lastSize = lastFree ? m.read64(epi - 8) : 0;
    const b = epi - lastSize;
    const grow = alignUp(asize - lastSize, this.page);
    if (this.sbrk(grow) < 0) return 0;
    const prevFlag = lastFree ? m.read64(b) & PREV_IN_USE : he & PREV_IN_USE;
    if (lastFree) this.unlink(b, lastSize);
    this.brk += grow;
    const size = lastSize + grow;
    m.write64(b, size | prevFlag);
    m.write64(b + size - 8, size);
    m.write64(this.brk - 8, IN_USE);
    return b;
  }

  protected heapFree(p: number): void {
    const m = this.m;
    let b = p - 8;
    const h = m.read64(b);
    let size = h & SIZE_MASK;
    let prevFlag = h & PREV_IN_USE;
    if (this.coalesce) {
      const hn = m.read64(b + size);
      if ((hn & IN_USE) === 0) {
        const ns = hn & SIZE_MASK;
        this.unlink(b + size, ns);
        size += ns;
        this.stats.coalesces++;
      }
      if (prevFlag === 0) {
        const ps = m.read64(b - 8);
        b -= ps;
        this.unlink(b, ps);
        size += ps;
        prevFlag = m.read64(b) & PREV_IN_USE;
        this.stats.coalesces++;
      }
      if (size !== (h & SIZE_MASK)) this.sink?.emit({ kind: "heap-coalesce", block: b, size });
    }
    const nx = b + size;
    const hn = m.read64(nx);
    m.write64(nx, hn & ~PREV_IN_USE);
    if ((hn & SIZE_MASK) === 0 && size >= this.trimThreshold && size - MIN_BLOCK >= this.page) {
      size = this.trim(size);
    }
    m.write64(b, size | prevFlag);
    m.write64(b + size - 8, size);
    this.link(b, size);
  }

  /** Gives back whole pages of the free top block `b`; returns the size it keeps. */
  private trim(size: number): number {
    const release = Math.floor((size - MIN_BLOCK) / this.page) * this.page;
    if (this.sbrk(-release) < 0) return size;
    const keep = size - release;
    this.brk -= release;
    this.m.write64(this.brk - 8, IN_USE);
    return keep;
  }

  protected heapUsable(p: number): number {
    return (this.m.read64(p - 8) & SIZE_MASK) - 8;
  }

  protected heapResize(p: number, n: number): boolean {
    const m = this.m;
    const b = p - 8;
    const h = m.read64(b);
    const size = h & SIZE_MASK;
    const asize = blockSizeFor(n);
    if (asize <= size) {
      this.shrinkTo(b, asize, size, h & PREV_IN_USE);
      return true;
    }
    const nx = b + size;
    const hn = m.read64(nx);
    const ns = hn & SIZE_MASK;
    if ((hn & IN_USE) === 0 && size + ns >= asize) {
      this.unlink(nx, ns);
      const after = nx + ns;
      m.write64(after, m.read64(after) | PREV_IN_USE);
      m.write64(b, (size + ns) | IN_USE | (h & PREV_IN_USE));
      this.shrinkTo(b, asize, size + ns, h & PREV_IN_USE);
      return true;
    }
    if (ns === 0) return this.growAtTop(b, asize, size, h & PREV_IN_USE);
    return false;
  }

  /** The block at the top grows by moving the break. */
  private growAtTop(b: number, asize: number, size: number, prevFlag: number): boolean {
    const grow = alignUp(asize - size, this.page);
    if (this.sbrk(grow) < 0) return false;
    this.brk += grow;
    this.m.write64(this.brk - 8, IN_USE | PREV_IN_USE);
    this.m.write64(b, (size + grow) | IN_USE | prevFlag);
    this.shrinkTo(b, asize, size + grow, prevFlag);
    return true;
  }

  /** Cuts the allocated block `b` of `size` bytes to `asize`, freeing the tail if it can be a block. */
  private shrinkTo(b: number, asize: number, size: number, prevFlag: number): void {
    if (size - asize < MIN_BLOCK) return;
    const m = this.m;
    m.write64(b, asize | IN_USE | prevFlag);
    m.write64(b + asize, (size - asize) | IN_USE | PREV_IN_USE);
    this.stats.splits++;
    this.heapFree(b + asize + 8);
  }

  protected *walkHeap(problems: string[]): Iterable<WalkedBlock> {
    if (this.brk < 0) return;
    const m = this.m;
    const listed = this.listedBlocks(problems);
    let seenFree = 0;
    let prevFree = false;
    let b = this.start + 8;
    for (;;) {
      const h = m.read64(b);
      const size = h & SIZE_MASK;
      const where = `block at ${hexAddr(b)}`;
      if (((h & PREV_IN_USE) === 0) !== prevFree) problems.push(`${where}: PREV_IN_USE bit is wrong`);
      if (size === 0) {
        if (b !== this.brk - 8)
          problems.push(`${where}: epilogue found before the break ${hexAddr(this.brk)}`);
        if ((h & IN_USE) === 0) problems.push(`${where}: epilogue not marked in use`);
        break;
      }
      if (size < MIN_BLOCK || (b + 8) % 16 !== 0 || b + size > this.brk - 8) {
        problems.push(`${where}: bad size ${size} or alignment`);
        break;
      }
      const free = (h & IN_USE) === 0;
      if (free) {
        seenFree++;
        if (m.read64(b + size - 8) !== size) problems.push(`${where}: footer does not match header`);
        if (!listed.has(b)) problems.push(`${where}: free but not on the free list`);
        if (prevFree && this.coalesce) problems.push(`${where}: two adjacent free blocks`);
      } else if (listed.has(b)) problems.push(`${where}: allocated but on the free list`);
      yield { addr: b, payload: b + 8, size, free, mmapped: false };
      prevFree = free;
      b += size;
    }
    if (seenFree !== listed.size)
      problems.push(`free list holds ${listed.size} blocks, heap has ${seenFree}`);
  }
}
