/**
 * Physical frame allocators: who owns which frame of RAM.
 *
 * Two implementations behind one interface, selectable per machine:
 * - `BuddyAllocator`: Knuth's binary buddy system as Linux's page allocator uses it
 *   (mm/page_alloc.c): free blocks of 2^order frames on one list per order; a freed block
 *   merges with its buddy (pfn XOR 2^order) while the buddy is free and of the same order.
 * - `FreeListAllocator`: one LIFO list of single frames, the simplest thing that works,
 *   for teaching (no orders above 0).
 * Both keep their lists intrusively in `Int32Array`s indexed by pfn: nothing is allocated
 * per call.
 */
import type { Pfn } from "../base/index.js";
import { asPfn, invariant, SimError } from "../base/index.js";

export type FrameAllocatorKind = "buddy" | "freelist";

/** The contract every frame allocator keeps. */
export interface FrameAllocator {
  readonly kind: FrameAllocatorKind;
  /** Frames under management (pfns 0..frames-1, minus any reserved at creation). */
  readonly frames: number;
  /** Highest order a block can have (0 for the free-list allocator). */
  readonly maxOrder: number;
  /** Free frames right now. */
  freeCount(): number;
  /** Takes one free frame, or null when none is left. */
  alloc(): Pfn | null;
  /** Takes a naturally aligned block of 2^order frames; null when no block that large is free. */
  allocBlock(order: number): Pfn | null;
  /** Returns one frame taken with `alloc`. Throws SimError on a double free. */
  free(pfn: Pfn): void;
  /** Returns a block taken with `allocBlock(order)`. */
  freeBlock(pfn: Pfn, order: number): void;
  /** True when `pfn` is currently free. */
  isFree(pfn: Pfn): boolean;
  /** Free blocks per order (index = order), for /proc/buddyinfo-style views. */
  freeBlocksByOrder(): number[];
  snapshot(): FrameAllocatorSnapshot;
  restore(s: FrameAllocatorSnapshot): void;
}

/** Opaque copy of an allocator's state. */
export interface FrameAllocatorSnapshot {
  readonly kind: FrameAllocatorKind;
  readonly arrays: readonly Int32Array[];
  readonly scalars: readonly number[];
}

/** Creates the allocator `kind` over `frames` frames, every one free. */
export function createFrameAllocator(kind: FrameAllocatorKind, frames: number): FrameAllocator {
  return kind === "buddy" ? new BuddyAllocator(frames) : new FreeListAllocator(frames);
}

const NIL = -1;
/** Marks a frame that is not the head of a free block. */
const NOT_FREE = -1;

/**
 * Binary buddy allocator. `orderOf[pfn]` is the order of the free block headed at pfn, or
 * NOT_FREE. Free lists per order are doubly linked through `next`/`prev`.
 */
export class BuddyAllocator implements FrameAllocator {
  readonly kind = "buddy" as const;
  readonly maxOrder: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly orderOf: Int8Array;
  private readonly heads: Int32Array;
  private readonly counts: Int32Array;
  private nfree = 0;

  /** Every frame starts free, split into the largest aligned blocks that fit. */
  constructor(readonly frames: number) {
    invariant(frames > 0, "buddy.frames", "BuddyAllocator: needs at least one frame");
    this.maxOrder = Math.min(10, Math.floor(Math.log2(frames)));
    this.next = new Int32Array(frames).fill(NIL);
    this.prev = new Int32Array(frames).fill(NIL);
    this.orderOf = new Int8Array(frames).fill(NOT_FREE);
    this.heads = new Int32Array(this.maxOrder + 1).fill(NIL);
    this.counts = new Int32Array(this.maxOrder + 1);
    this.seed();
  }

  private seed(): void {
    // Push blocks in decreasing address order so the lowest pfns come out first.
    const blocks: [number, number][] = [];
    let pfn = 0;
    while (pfn < this.frames) {
      let order = this.maxOrder;
      while (order > 0 && (pfn % (1 << order) !== 0 || pfn + (1 << order) > this.frames)) order--;
      blocks.push([pfn, order]);
      pfn += 1 << order;
    }
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i] as [number, number];
      this.push(b[0], b[1]);
    }
    this.nfree = this.frames;
  }

  freeCount(): number {
    return this.nfree;
  }

  alloc(): Pfn | null {
    return this.allocBlock(0);
  }

  /** Takes the smallest free block of at least `order`, splitting it down (expand()). */
  allocBlock(order: number): Pfn | null {
    if (order < 0 || order > this.maxOrder) return null;
    let o = order;
    while (o <= this.maxOrder && this.heads[o] === NIL) o++;
    if (o > this.maxOrder) return null;
    const pfn = this.heads[o] as number;
    this.unlink(pfn, o);
    // Give back the upper halves while splitting down to the requested order.
    while (o > order) {
      o--;
      this.push(pfn + (1 << o), o);
    }
    this.nfree -= 1 << order;
    return asPfn(pfn);
  }

  free(pfn: Pfn): void {
    this.freeBlock(pfn, 0);
  }

  /** Frees a block and merges it with its buddy while the buddy is a free block of equal order. */
  freeBlock(pfn: Pfn, order: number): void {
    this.checkRange(pfn, order);
    if (this.isFree(pfn)) throw new SimError("buddy.double-free", `BuddyAllocator: frame ${pfn} freed twice`);
    this.nfree += 1 << order;
    let head = pfn as number;
    let o = order;
    while (o < this.maxOrder) {
      const buddy = head ^ (1 << o);
      if (buddy + (1 << o) > this.frames || this.orderOf[buddy] !== o) break;
      this.unlink(buddy, o);
      head = Math.min(head, buddy);
      o++;
    }
    this.push(head, o);
  }

  /** True when pfn lies inside some free block. Walks up the possible block heads. */
  isFree(pfn: Pfn): boolean {
    for (let o = 0; o <= this.maxOrder; o++) {
      const head = (pfn >> o) << o;
      if (this.orderOf[head] === o) return true;
    }
    return false;
  }

  freeBlocksByOrder(): number[] {
    return Array.from(this.counts);
  }

  snapshot(): FrameAllocatorSnapshot {
    return {
      kind: this.kind,
      arrays: [
        this.next.slice(),
        this.prev.slice(),
        Int32Array.from(this.orderOf),
        this.heads.slice(),
        this.counts.slice(),
      ],
      scalars: [this.nfree],
    };
  }

  restore(s: FrameAllocatorSnapshot): void {
    invariant(s.kind === this.kind, "buddy.restore", "BuddyAllocator: snapshot of another allocator kind");
    const [next, prev, orderOf, heads, counts] = s.arrays as [
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
    ];
    this.next.set(next);
    this.prev.set(prev);
    this.orderOf.set(orderOf);
    this.heads.set(heads);
    this.counts.set(counts);
    this.nfree = s.scalars[0] as number;
  }

  private checkRange(pfn: number, order: number): void {
    invariant(
      order >= 0 &&
        order <= this.maxOrder &&
        pfn >= 0 &&
        pfn + (1 << order) <= this.frames &&
        pfn % (1 << order) === 0,
      "buddy.range",
      `BuddyAllocator: block ${pfn} of order ${order} is not a valid block`,
    );
  }

  private push(pfn: number, order: number): void {
    const head = this.heads[order] as number;
    this.next[pfn] = head;
    this.prev[pfn] = NIL;
    if (head !== NIL) this.prev[head] = pfn;
    this.heads[order] = pfn;
    this.orderOf[pfn] = order;
    this.counts[order] = (this.counts[order] as number) + 1;
  }

  private unlink(pfn: number, order: number): void {
    const n = this.next[pfn] as number;
    const p = this.prev[pfn] as number;
    if (p !== NIL) this.next[p] = n;
    else this.heads[order] = n;
    if (n !== NIL) this.prev[n] = p;
    this.next[pfn] = NIL;
    this.prev[pfn] = NIL;
    this.orderOf[pfn] = NOT_FREE;
    this.counts[order] = (this.counts[order] as number) - 1;
  }
}

/** A LIFO stack of free frames: O(1) alloc and free, no blocks larger than one frame. */
export class FreeListAllocator implements FrameAllocator {
  readonly kind = "freelist" as const;
  readonly maxOrder = 0;
  private readonly stack: Int32Array;
  private readonly free_: Uint8Array;
  private top = 0;

  constructor(readonly frames: number) {
    invariant(frames > 0, "freelist.frames", "FreeListAllocator: needs at least one frame");
    this.stack = new Int32Array(frames);
    this.free_ = new Uint8Array(frames).fill(1);
    // Highest pfn at the bottom so pfn 0 is handed out first.
    for (let i = 0; i < frames; i++) this.stack[i] = frames - 1 - i;
    this.top = frames;
  }

  freeCount(): number {
    return this.top;
  }

  alloc(): Pfn | null {
    if (this.top === 0) return null;
    const pfn = this.stack[--this.top] as number;
    this.free_[pfn] = 0;
    return asPfn(pfn);
  }

  allocBlock(order: number): Pfn | null {
    return order === 0 ? this.alloc() : null;
  }

  free(pfn: Pfn): void {
    invariant(pfn >= 0 && pfn < this.frames, "freelist.range", `FreeListAllocator: no frame ${pfn}`);
    if (this.free_[pfn] === 1)
      throw new SimError("freelist.double-free", `FreeListAllocator: frame ${pfn} freed twice`);
    this.free_[pfn] = 1;
    this.stack[this.top++] = pfn;
  }

  freeBlock(pfn: Pfn, order: number): void {
    invariant(order === 0, "freelist.order", "FreeListAllocator: only order-0 blocks exist");
    this.free(pfn);
  }

  isFree(pfn: Pfn): boolean {
    return this.free_[pfn] === 1;
  }

  freeBlocksByOrder(): number[] {
    return [this.top];
  }

  snapshot(): FrameAllocatorSnapshot {
    return {
      kind: this.kind,
      arrays: [this.stack.slice(), Int32Array.from(this.free_)],
      scalars: [this.top],
    };
  }

  restore(s: FrameAllocatorSnapshot): void {
    invariant(
      s.kind === this.kind,
      "freelist.restore",
      "FreeListAllocator: snapshot of another allocator kind",
    );
    const [stack, free] = s.arrays as [Int32Array, Int32Array];
    this.stack.set(stack);
    this.free_.set(free);
    this.top = s.scalars[0] as number;
  }
}
