/**
 * LIRS (Low Inter-reference Recency Set): pages with a short reuse distance (LIR) keep
 * ~99% of the frames; the rest (resident HIR) form a small FIFO queue Q that supplies the
 * victims. Stack S orders recent pages (LIR, resident HIR and non-resident HIR ghosts)
 * by recency; a HIR page referenced again while still in S proves a short reuse distance
 * and becomes LIR, demoting the LIR page at the bottom of S. S is pruned so its bottom is
 * always LIR. Non-resident entries are capped at the number of frames (oldest dropped).
 * Source: Jiang and Zhang, "LIRS: an efficient low inter-reference recency set
 * replacement policy to improve buffer cache performance", SIGMETRICS 2002 (Lhirs = 1%).
 * Cost: amortized O(1) per access (each pruning step removes an entry pushed earlier).
 */
import { DList, Links } from "./dlist.js";
import { PageMap } from "./page-map.js";
import type { IndexSharing, ReplacementPolicy, SharedPageIndex } from "./policy.js";

export class LirsPolicy implements ReplacementPolicy, IndexSharing {
  readonly name = "lirs";
  readonly capacity: number;
  private readonly lirLimit: number;
  private lirCount = 0;
  /** Entries 0..c-1 are slots; c..2c-1 are non-resident HIR ghosts. */
  private readonly stack: DList;
  private readonly queue: DList;
  private readonly ghostOrder: DList;
  private readonly isLir: Uint8Array;
  private readonly inStack: Uint8Array;
  /** Entry → key; `slotKeys` for the slots (the engine's `keys` when it shares its index). */
  private readonly keyOf: Float64Array;
  private slotKeys: Float64Array;
  /**
   * Key → ghost entry (c..2c-1): the engine's index when it shares it (its slots are < c).
   * Forgetting a ghost leaves its entry behind (`release`): an entry g is live only while
   * g still holds that key (a freed g holds NaN), which `ghostOf` checks, so the map is
   * never written for the cold keys of expired ghosts.
   */
  private ghosts: PageMap;
  /** True when `ghosts` is the engine's index (a victim kept as no ghost is deleted from it). */
  private shared = false;
  private readonly freeGhosts: Int32Array;
  private freeGhostCount: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    const hirLimit = Math.max(1, Math.floor(capacity / 100));
    this.lirLimit = Math.max(0, capacity - hirLimit);
    this.stack = new DList(new Links(2 * capacity));
    this.queue = new DList(new Links(capacity));
    this.ghostOrder = new DList(new Links(2 * capacity));
    this.isLir = new Uint8Array(2 * capacity);
    this.inStack = new Uint8Array(2 * capacity);
    this.keyOf = new Float64Array(2 * capacity);
    this.slotKeys = this.keyOf;
    this.ghosts = new PageMap();
    this.freeGhosts = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeGhosts[i] = 2 * capacity - 1 - i;
    this.freeGhostCount = capacity;
  }

  shareIndex(index: SharedPageIndex): void {
    this.ghosts = index.map;
    this.slotKeys = index.keys;
    this.shared = true;
  }

  onHit(slot: number, _write: boolean): void {
    const s = this.stack;
    if (this.isLir[slot] === 1) {
      const wasBottom = s.tail === slot;
      s.moveToHead(slot);
      if (wasBottom) this.prune();
    } else if (this.inStack[slot] === 1) {
      s.moveToHead(slot);
      this.queue.remove(slot);
      this.promote(slot);
    } else {
      s.pushHead(slot);
      this.inStack[slot] = 1;
      this.queue.moveToHead(slot);
    }
  }

  onInsert(slot: number, key: number, _write: boolean): void {
    this.slotKeys[slot] = key;
    const g = this.ghostOf(key);
    if (g >= 0) {
      this.ghosts.release(key, g);
      // A non-resident HIR page still in S: its reuse distance is short, it becomes LIR.
      this.stack.remove(g);
      this.releaseGhost(g);
      this.stack.pushHead(slot);
      this.inStack[slot] = 1;
      this.promote(slot);
    } else if (this.lirCount < this.lirLimit) {
      this.stack.pushHead(slot);
      this.inStack[slot] = 1;
      this.isLir[slot] = 1;
      this.lirCount++;
    } else {
      this.stack.pushHead(slot);
      this.inStack[slot] = 1;
      this.queue.pushHead(slot);
    }
  }

  evict(): number {
    if (this.queue.size === 0) this.demoteBottom();
    const victim = this.queue.popTail();
    if (this.inStack[victim] === 1) {
      // It stays in S as a non-resident HIR entry, in the same place.
      const g = this.takeGhost();
      const key = this.slotKeys[victim]!;
      this.keyOf[g] = key;
      this.ghosts.set(key, g);
      this.stack.insertBefore(g, victim);
      this.stack.remove(victim);
      this.inStack[g] = 1;
      this.inStack[victim] = 0;
    } else if (this.shared) this.ghosts.forget(this.slotKeys[victim]!);
    this.prune();
    return victim;
  }

  remove(slot: number): void {
    if (this.isLir[slot] === 1) {
      this.isLir[slot] = 0;
      this.lirCount--;
    } else this.queue.remove(slot);
    if (this.inStack[slot] === 1) {
      this.stack.remove(slot);
      this.inStack[slot] = 0;
    }
    this.prune();
  }

  /** Makes the resident HIR `slot` (now at the top of S) LIR, demoting if over the limit. */
  private promote(slot: number): void {
    this.isLir[slot] = 1;
    this.lirCount++;
    if (this.lirCount > this.lirLimit) this.demoteBottom();
  }

  /** The LIR page at the bottom of S becomes resident HIR at the end of Q. */
  private demoteBottom(): void {
    this.prune();
    const b = this.stack.tail;
    if (b < 0) return;
    this.stack.remove(b);
    this.inStack[b] = 0;
    this.isLir[b] = 0;
    this.lirCount--;
    this.queue.pushHead(b);
    this.prune();
  }

  /** Removes HIR entries from the bottom of S until the bottom is LIR. */
  private prune(): void {
    const s = this.stack;
    for (let e = s.tail; e >= 0 && this.isLir[e] === 0; e = s.tail) {
      s.remove(e);
      this.inStack[e] = 0;
      if (e >= this.capacity) {
        this.ghosts.release(this.keyOf[e]!, e);
        this.releaseGhost(e);
      }
    }
  }

  /** The live ghost entry of `key`, or -1. */
  private ghostOf(key: number): number {
    const g = this.ghosts.get(key);
    return g >= this.capacity && this.keyOf[g] === key ? g : -1;
  }

  private takeGhost(): number {
    let g: number;
    if (this.freeGhostCount > 0) g = this.freeGhosts[--this.freeGhostCount]!;
    else {
      // The pool is full: forget the oldest non-resident entry.
      g = this.ghostOrder.popTail();
      this.stack.remove(g);
      this.ghosts.release(this.keyOf[g]!, g);
    }
    this.ghostOrder.pushHead(g);
    return g;
  }

  private releaseGhost(g: number): void {
    this.ghostOrder.remove(g);
    this.inStack[g] = 0;
    this.keyOf[g] = Number.NaN;
    this.freeGhosts[this.freeGhostCount++] = g;
  }
}
