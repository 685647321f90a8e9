/**
 * The binary buddy system (Knowlton 1965; Knuth, TAOCP vol. 1 §2.5): every block is 2^k
 * bytes at an offset that is a multiple of 2^k from the heap base, and its buddy is at
 * offset XOR 2^k. A request is rounded up to a power of two; a larger free block is split
 * in halves until it fits; a freed block merges with its buddy while the buddy is free and
 * whole. The heap grows by doubling: the new upper half is the buddy of the whole old heap.
 * Cost per malloc/free: O(log heap size). Internal fragmentation up to 50%.
 *
 *   block (offset ≡ 0 mod 2^k)
 *   | 8 unused | hdr: 2^k | USED | payload (free: next, prev) ............ |
 *              ^ +8                ^ +16
 */
import type { HeapOptions, WalkedBlock } from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import { HeapCore, hexAddr, IN_USE } from "./core.js";
import { ctz } from "./indexed-lists.js";

const MIN_ORDER = 5;
const MAX_ORDER = 30;

/** The order of the smallest buddy block holding `n` payload bytes. */
export function buddyOrderFor(n: number): number {
  const need = n + 16;
  return need <= 1 << MIN_ORDER ? MIN_ORDER : 32 - Math.clz32(need - 1);
}

export class BuddyHeap extends HeapCore {
  readonly name: string = "buddy";
  private base = -1;
  /** The heap is one block of order `top` when whole; -1 before the first sbrk. */
  private top = -1;
  private readonly heads = new Float64Array(MAX_ORDER + 1);
  private bitmap = 0;

  constructor(backing: HeapBacking, opts: HeapOptions = {}) {
    super(backing, opts);
  }

  heapStart(): number {
    return Math.max(this.base, 0);
  }

  heapEnd(): number {
    return this.top < 0 ? this.heapStart() : this.base + 2 ** this.top;
  }

  private hdr(off: number): number {
    return this.m.read64(this.base + off + 8);
  }

  protected heapAlloc(n: number): number {
    const k = buddyOrderFor(n);
    if (k > MAX_ORDER) return 0;
    this.stats.searchSteps++;
    let j = this.bitmap === 0 ? -1 : this.firstOrderFrom(k);
    while (j < 0) {
      if (!this.grow(k)) return 0;
      j = this.firstOrderFrom(k);
    }
    const off = this.heads[j]! - this.base;
    this.unlink(off, j);
    while (j > k) {
      j--;
      this.link(off + 2 ** j, j);
      this.stats.splits++;
    }
    this.m.write64(this.base + off + 8, 2 ** k + IN_USE);
    return this.base + off + 16;
  }

  private firstOrderFrom(k: number): number {
    const bits = this.bitmap & (-1 << k);
    return bits === 0 ? -1 : ctz(bits);
  }

  /** Doubles the heap (or creates it) until a free block of order >= k can exist. */
  private grow(k: number): boolean {
    if (this.top < 0) {
      let s = this.sbrk(0);
      if (s < 0) return false;
      const pad = (16 - (s % 16)) % 16;
      if (this.sbrk(pad + 2 ** k) < 0) return false;
      s += pad;
      this.base = s;
      this.top = k;
      this.link(0, k);
      return true;
    }
    if (this.top >= MAX_ORDER) return false;
    const half = 2 ** this.top;
    if (this.sbrk(half) < 0) return false;
    this.top++;
    this.release(half, this.top - 1);
    return true;
  }

  protected heapFree(p: number): void {
    const off = p - 16 - this.base;
    const k = Math.log2(this.hdr(off) - IN_USE);
    this.release(off, k);
    this.trimTop();
  }

  /** Frees the block at `off` of order `k`, merging with its buddy while it is free. */
  private release(off: number, k: number): void {
    while (k < this.top) {
      const buddy = off ^ (2 ** k);
      if (this.hdr(buddy) !== 2 ** k) break;
      this.unlink(buddy, k);
      this.stats.coalesces++;
      off = Math.min(off, buddy);
      k++;
    }
    this.link(off, k);
  }

  /** Halves the heap while its upper half is one free block of at least the trim threshold. */
  private trimTop(): void {
    while (this.top > MIN_ORDER) {
      const half = 2 ** (this.top - 1);
      if (half < this.trimThreshold) return;
      if (this.hdr(0) === 2 * half) {
        // The whole heap is free: split it so the upper half can go.
        this.unlink(0, this.top);
        this.link(0, this.top - 1);
        this.link(half, this.top - 1);
      } else if (this.hdr(half) !== half) return;
      this.unlink(half, this.top - 1);
      if (this.sbrk(-half) < 0) {
        this.link(half, this.top - 1);
        return;
      }
      this.top--;
    }
  }

  private link(off: number, k: number): void {
    const m = this.m;
    const b = this.base + off;
    const next = this.heads[k]!;
    m.write64(b + 8, 2 ** k);
    m.write64(b + 16, next);
    m.write64(b + 24, 0);
    if (next !== 0) m.write64(next + 24, b);
    else this.bitmap |= 1 << k;
    this.heads[k] = b;
  }

  private unlink(off: number, k: number): void {
    const m = this.m;
    const b = this.base + off;
    const next = m.read64(b + 16);
    const prev = m.read64(b + 24);
    if (next !== 0) m.write64(next + 24, prev);
    if (prev !== 0) m.write64(prev + 16, next);
    else {
      this.heads[k] = next;
      if (next === 0) this.bitmap &= ~(1 << k);
    }
    m.write64(b + 8, 2 ** k + IN_USE);
  }

  protected heapUsable(p: number): number {
    return this.m.read64(p - 8) - IN_USE - 16;
  }

  protected heapResize(p: number, n: number): boolean {
    const off = p - 16 - this.base;
    let k = Math.log2(this.hdr(off) - IN_USE);
    const want = buddyOrderFor(n);
    if (want > MAX_ORDER) return false;
    if (want <= k) {
      while (k > want) {
        k--;
        this.link(off + 2 ** k, k);
        this.stats.splits++;
      }
      this.m.write64(this.base + off + 8, 2 ** k + IN_USE);
      return true;
    }
    for (let j = k; j < want; j++) {
      if (off % 2 ** (j + 1) !== 0 || (j < this.top && this.hdr(off + 2 ** j) !== 2 ** j)) return false;
    }
    let grown = true;
    for (; k < want; k++) {
      if (k < this.top) this.unlink(off + 2 ** k, k);
      else if (this.sbrk(2 ** k) >= 0) this.top++;
      else {
        grown = false;
        break;
      }
      this.stats.coalesces++;
    }
    // On a failed sbrk the block keeps what it absorbed: larger, still valid.
    this.m.write64(this.base + off + 8, 2 ** k + IN_USE);
    return grown;
  }

  protected *walkHeap(problems: string[]): Iterable<WalkedBlock> {
    if (this.top < 0) return;
    const listed = new Map<number, number>();
    for (let k = 0; k <= MAX_ORDER; k++) {
      if ((this.heads[k] !== 0) !== (((this.bitmap >>> k) & 1) === 1))
        problems.push(`order ${k}: bitmap is wrong`);
      let prev = 0;
      for (let b = this.heads[k]!; b !== 0; b = this.m.read64(b + 16)) {
        if (listed.has(b)) {
          problems.push(`order ${k}: ${hexAddr(b)} listed twice`);
          break;
        }
        if (this.m.read64(b + 24) !== prev) problems.push(`order ${k}: prev link of ${hexAddr(b)} is wrong`);
        listed.set(b, k);
        prev = b;
      }
    }
    const end = 2 ** this.top;
    let free = 0;
    for (let off = 0; off < end; ) {
      const h = this.hdr(off);
      const used = (h & IN_USE) !== 0;
      const size = h - (h & 15);
      const k = Math.log2(size);
      const b = this.base + off;
      if (!Number.isInteger(k) || k < MIN_ORDER || off % size !== 0 || off + size > end) {
        problems.push(`block at ${hexAddr(b)}: bad size ${size}`);
        return;
      }
      if (!used) {
        free++;
        if (listed.get(b) !== k) problems.push(`block at ${hexAddr(b)}: free but not on list ${k}`);
        if (k < this.top && this.hdr(off ^ size) === size)
          problems.push(`block at ${hexAddr(b)}: free buddies not merged`);
      }
      yield { addr: b, payload: b + 16, size, free: !used, mmapped: false };
      off += size;
    }
    if (free !== listed.size) problems.push(`free lists hold ${listed.size} blocks, heap has ${free}`);
  }
}
