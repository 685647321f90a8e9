/**
 * Working Set: a page stays resident while it was referenced within the last τ references
 * (the window); once it falls out it is released, even if frames are free. When every
 * frame holds a working-set page and another is needed, the least recently used goes (a
 * single process cannot be swapped out whole here, as Denning's scheduler would).
 * Source: Denning, "The working set model for program behavior", CACM 11(5), 1968.
 * Cost: O(1) per access (an LRU list whose tail is the first to leave the window).
 */
import { DList, Links } from "./dlist.js";
import type { Expiring, ReplacementPolicy } from "./policy.js";

export class WorkingSetPolicy implements ReplacementPolicy, Expiring {
  readonly name = "ws";
  readonly capacity: number;
  /** The window τ, in references. */
  readonly window: number;
  private readonly stack: DList;
  /** Per slot: the logical time (1-based reference count) of its last reference. */
  private readonly lastUse: Float64Array;
  private now = 0;

  /** `window` τ in references (default 4 × capacity). */
  constructor(capacity: number, window = 4 * capacity) {
    this.capacity = capacity;
    this.window = Math.max(1, Math.floor(window));
    this.stack = new DList(new Links(capacity));
    this.lastUse = new Float64Array(capacity);
  }

  onHit(slot: number, _write: boolean): void {
    this.lastUse[slot] = ++this.now;
    this.stack.moveToHead(slot);
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    this.lastUse[slot] = ++this.now;
    this.stack.pushHead(slot);
  }

  evict(): number {
    return this.stack.popTail();
  }

  remove(slot: number): void {
    this.stack.remove(slot);
  }

  /** The least recently used slot if its last reference is at or before now − τ. */
  nextExpired(now: number): number {
    const tail = this.stack.tail;
    if (tail < 0 || this.lastUse[tail]! > now - this.window) return -1;
    this.stack.remove(tail);
    return tail;
  }
}
