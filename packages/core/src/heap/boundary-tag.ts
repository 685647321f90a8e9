/**
 * The boundary-tag heap (Knuth, TAOCP vol. 1 §2.5; the layout of CS:APP §9.9 and of
 * dlmalloc/glibc): the brk heap is a sequence of blocks, each with a 4-byte header word
 * holding its size and two flags, and free blocks also carry a 4-byte footer (a copy of
 * the size) so the block above can find them when it is freed. Allocated blocks have no
 * footer: their payload runs up to the next header, whose PREV_IN_USE bit says whether
 * the block below is allocated. A block of S bytes therefore holds S - 4 user bytes.
 *
 *   heap start (16-aligned)
 *   | 12 pad | hdr | payload ....... | hdr | next | prev | ..... | ftr | hdr=0|USED (epilogue) | brk
 *            ^ block (≡ 12 mod 16)   ^ a free block: 8-byte links in the first payload words
 *
 * Sizes are multiples of 16 below 2^31 (the brk heap spans less than 2 GiB), so a 32-bit
 * word holds size and flags. Minimum block 32 bytes (header, two links, footer). A policy
 * subclass only supplies the
 * free-list index: `link`, `unlink`, `findFit` and a consistency check of its lists; this
 * class owns splitting, coalescing, growing with sbrk and trimming (the engine decides,
 * the policy chooses).
 */
import { alignUp, type HeapOptions, type WalkedBlock } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { HeapCore, hexAddr, IN_USE, PREV_IN_USE } from "./core.js";

export const MIN_BLOCK = 32;
/** Bytes of the header word below each payload. */
export const HDR = 4;
/** Where a free block keeps its list links (8-byte words, 8-aligned). */
export const LINK_NEXT = 4;
export const LINK_PREV = 12;
const SIZE_MASK = ~15;
/** The brk heap stays below this span, so sizes fit a signed 32-bit word. */
const MAX_SPAN = 2 ** 31 - 2 ** 16;

/** The block size that serves a request of `n` bytes (header included, 16-aligned). */
export function blockSizeFor(n: number): number {
  return n <= MIN_BLOCK - HDR ? MIN_BLOCK : (n + HDR + 15) & SIZE_MASK;
}

export abstract class BoundaryTagHeap extends HeapCore {
  protected readonly coalesce: boolean;
  /**
   * Keep the free block at the top of the heap (the wilderness) off the lists, as dlmalloc
   * keeps its top chunk: it is carved only when no listed block fits, so the top stays
   * free and can be trimmed (Korn and Vo's wilderness preservation). Needs coalescing.
   */
  protected keepTop = false;
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

  /** True when the free block `b` of `size` bytes is the top block kept off the lists. */
  private isTop(b: number, size: number): boolean {
    return this.keepTop && b + size === this.brk - HDR;
  }

  private linkFree(b: number, size: number): void {
    if (!this.isTop(b, size)) this.link(b, size);
  }

  private unlinkFree(b: number, size: number): void {
    if (!this.isTop(b, size)) this.unlink(b, size);
  }

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
    this.m.write32(s + 8, 0);
    this.m.write32(s + 12, IN_USE | PREV_IN_USE);
    return true;
  }

  protected heapAlloc(n: number): number {
    if (this.brk < 0 && !this.init()) return 0;
    const asize = blockSizeFor(n);
    let b = this.findFit(asize);
    if (b !== 0) this.unlink(b, this.m.read32(b) & SIZE_MASK);
    else {
      b = this.extend(asize);
      if (b === 0) return 0;
    }
    this.place(b, asize);
    return b + HDR;
  }

  /** Marks the unlinked free block `b` allocated with `asize` bytes, splitting off the rest. */
  private place(b: number, asize: number): void {
    const m = this.m;
    const h = m.read32(b);
    const size = h & SIZE_MASK;
    const rest = size - asize;
    if (rest >= MIN_BLOCK) {
      m.write32(b, asize | IN_USE | (h & PREV_IN_USE));
      const r = b + asize;
      m.write32(r, rest | PREV_IN_USE);
      m.write32(r + rest - HDR, rest);
      this.linkFree(r, rest);
      this.stats.splits++;
      this.sink?.emit({ kind: "heap-split", block: b, size: asize, rest });
    } else {
      m.write32(b, size | IN_USE | (h & PREV_IN_USE));
      const nx = b + size;
      m.write32(nx, m.read32(nx) | PREV_IN_USE);
    }
  }

  /**
   * Grows the heap so that a block of `asize` bytes exists at the top, merging the last
   * block when it is free (without growing when that top block is kept off the lists and
   * already large enough). Returns that block (unlinked), or 0 when sbrk fails.
   */
  private extend(asize: number): number {
    const m = this.m;
    const epi = this.brk - HDR;
    const he = m.read32(epi);
    const lastFree = this.coalesce && (he & PREV_IN_USE) === 0;
    const lastSize = lastFree ? m.read32(epi - HDR) : 0;
    const b = epi - lastSize;
    if (lastFree && lastSize >= asize && this.isTop(b, lastSize)) return b;
    const grow = alignUp(asize - lastSize, this.page);
    if (this.brk + grow - this.start > MAX_SPAN || this.sbrk(grow) < 0) return 0;
    const prevFlag = lastFree ? m.read32(b) & PREV_IN_USE : he & PREV_IN_USE;
    if (lastFree) this.unlinkFree(b, lastSize);
    this.brk += grow;
    const size = lastSize + grow;
    m.write32(b, size | prevFlag);
    m.write32(b + size - HDR, size);
    m.write32(this.brk - HDR, IN_USE);
    return b;
  }

  protected heapFree(p: number): void {
    const m = this.m;
    let b = p - HDR;
    const h = m.read32(b);
    let size = h & SIZE_MASK;
    let prevFlag = h & PREV_IN_USE;
    if (this.coalesce) {
      const hn = m.read32(b + size);
      if ((hn & IN_USE) === 0) {
        const ns = hn & SIZE_MASK;
        this.unlinkFree(b + size, ns);
        size += ns;
        this.stats.coalesces++;
      }
      if (prevFlag === 0) {
        const ps = m.read32(b - HDR);
        b -= ps;
        this.unlink(b, ps);
        size += ps;
        prevFlag = m.read32(b) & PREV_IN_USE;
        this.stats.coalesces++;
      }
      if (size !== (h & SIZE_MASK)) this.sink?.emit({ kind: "heap-coalesce", block: b, size });
    }
    const nx = b + size;
    const hn = m.read32(nx);
    m.write32(nx, hn & ~PREV_IN_USE);
    if ((hn & SIZE_MASK) === 0 && size >= this.trimThreshold && size - MIN_BLOCK >= this.page) {
      size = this.trim(size);
    }
    m.write32(b, size | prevFlag);
    m.write32(b + size - HDR, size);
    this.linkFree(b, size);
  }

  /** Gives back whole pages of the free top block `b`; returns the size it keeps. */
  private trim(size: number): number {
    const release = Math.floor((size - MIN_BLOCK) / this.page) * this.page;
    if (this.sbrk(-release) < 0) return size;
    const keep = size - release;
    this.brk -= release;
    this.m.write32(this.brk - HDR, IN_USE);
    return keep;
  }

  protected heapUsable(p: number): number {
    return (this.m.read32(p - HDR) & SIZE_MASK) - HDR;
  }

  protected heapResize(p: number, n: number): boolean {
    const m = this.m;
    const b = p - HDR;
    const h = m.read32(b);
    const size = h & SIZE_MASK;
    const asize = blockSizeFor(n);
    if (asize <= size) {
      this.shrinkTo(b, asize, size, h & PREV_IN_USE);
      return true;
    }
    const nx = b + size;
    const hn = m.read32(nx);
    const ns = hn & SIZE_MASK;
    if ((hn & IN_USE) === 0 && size + ns >= asize) {
      this.unlinkFree(nx, ns);
      const after = nx + ns;
      m.write32(after, m.read32(after) | PREV_IN_USE);
      m.write32(b, (size + ns) | IN_USE | (h & PREV_IN_USE));
      this.shrinkTo(b, asize, size + ns, h & PREV_IN_USE);
      return true;
    }
    if (ns === 0) return this.growAtTop(b, asize, size, h & PREV_IN_USE);
    return false;
  }

  /** The block at the top grows by moving the break. */
  private growAtTop(b: number, asize: number, size: number, prevFlag: number): boolean {
    const grow = alignUp(asize - size, this.page);
    if (this.brk + grow - this.start > MAX_SPAN || this.sbrk(grow) < 0) return false;
    this.brk += grow;
    this.m.write32(this.brk - HDR, IN_USE | PREV_IN_USE);
    this.m.write32(b, (size + grow) | IN_USE | prevFlag);
    this.shrinkTo(b, asize, size + grow, prevFlag);
    return true;
  }

  /** Cuts the allocated block `b` of `size` bytes to `asize`, freeing the tail if it can be a block. */
  private shrinkTo(b: number, asize: number, size: number, prevFlag: number): void {
    if (size - asize < MIN_BLOCK) return;
    const m = this.m;
    m.write32(b, asize | IN_USE | prevFlag);
    m.write32(b + asize, (size - asize) | IN_USE | PREV_IN_USE);
    this.stats.splits++;
    this.heapFree(b + asize + HDR);
  }

  protected *walkHeap(problems: string[]): Iterable<WalkedBlock> {
    if (this.brk < 0) return;
    const m = this.m;
    const listed = this.listedBlocks(problems);
    let seenFree = 0;
    let topFree = 0;
    let prevFree = false;
    let b = this.start + 16 - HDR;
    for (;;) {
      const h = m.read32(b);
      const size = h & SIZE_MASK;
      const where = `block at ${hexAddr(b)}`;
      if (((h & PREV_IN_USE) === 0) !== prevFree) problems.push(`${where}: PREV_IN_USE bit is wrong`);
      if (size === 0) {
        if (b !== this.brk - HDR)
          problems.push(`${where}: epilogue found before the break ${hexAddr(this.brk)}`);
        if ((h & IN_USE) === 0) problems.push(`${where}: epilogue not marked in use`);
        break;
      }
      if (size < MIN_BLOCK || (b + HDR) % 16 !== 0 || b + size > this.brk - HDR) {
        problems.push(`${where}: bad size ${size} or alignment`);
        break;
      }
      const free = (h & IN_USE) === 0;
      if (free) {
        seenFree++;
        if (m.read32(b + size - HDR) !== size) problems.push(`${where}: footer does not match header`);
        if (this.isTop(b, size)) {
          topFree = 1;
          if (listed.has(b)) problems.push(`${where}: the top block is on a free list`);
        } else if (!listed.has(b)) problems.push(`${where}: free but not on the free list`);
        if (prevFree && this.coalesce) problems.push(`${where}: two adjacent free blocks`);
      } else if (listed.has(b)) problems.push(`${where}: allocated but on the free list`);
      yield { addr: b, payload: b + HDR, size, free, mmapped: false };
      prevFree = free;
      b += size;
    }
    if (seenFree - topFree !== listed.size)
      problems.push(`free list holds ${listed.size} blocks, heap has ${seenFree - topFree} off the top`);
  }
}
