/**
 * A FIFO queue of slots in a ring buffer: push at the newest end, pop at the oldest. Where
 * a linked list writes two neighbours' links on every move, a ring reads and writes
 * consecutive cells, so a queue policy that evicts on almost every reference walks memory
 * in order, with few instructions per step.
 * A slot removed from the middle (an unmapped page) stays in its cell, counted stale:
 * its entries older than its live one are skipped by `pop`. A slot's stale entries always
 * precede its live entry, so skipping the first `stale[s]` entries of `s` is exact.
 * Cost: O(1) push and remove; amortized O(1) pop, and compaction when stale cells fill the ring.
 */
import { invariant } from "../base/errors.js";

export class SlotRing {
  /** Live entries. */
  size = 0;
  private readonly cells: Int32Array;
  /** Cell count minus one (a power of two, above the slot count, minus one). */
  private readonly mask: number;
  /** Per slot: how many of its entries in the ring are stale (left by `remove`). */
  private readonly stale: Int32Array;
  /** The oldest cell. */
  private first = 0;
  /** The cell the next push writes. */
  private next = 0;

  /** A ring for slots 0..capacity-1. */
  constructor(capacity: number) {
    let n = 2;
    while (n <= capacity) n *= 2;
    this.cells = new Int32Array(n);
    this.mask = n - 1;
    this.stale = new Int32Array(capacity);
  }

  /** Appends `slot` (not live in this ring) at the newest end. */
  push(slot: number): void {
    const next = this.next;
    this.cells[next] = slot;
    this.next = (next + 1) & this.mask;
    this.size++;
    if (this.next === this.first) this.compact();
  }

  /** Removes and returns the oldest live slot; the ring must not be empty. */
  pop(): number {
    const cells = this.cells;
    const stale = this.stale;
    for (;;) {
      const s = cells[this.first]!;
      this.first = (this.first + 1) & this.mask;
      if (stale[s] === 0) {
        this.size--;
        return s;
      }
      stale[s]!--;
    }
  }

  /** Removes `slot`, which must be live in this ring. */
  remove(slot: number): void {
    this.stale[slot]!++;
    this.size--;
  }

  /** Empties the ring. */
  clear(): void {
    this.first = 0;
    this.next = 0;
    this.size = 0;
    this.stale.fill(0);
  }

  /** The live slots, oldest first (for inspection and tests). */
  slots(): number[] {
    const skip = new Map<number, number>();
    const out: number[] = [];
    for (let c = this.first; c !== this.next; c = (c + 1) & this.mask) {
      const s = this.cells[c]!;
      const seen = skip.get(s) ?? 0;
      if (seen < this.stale[s]!) skip.set(s, seen + 1);
      else out.push(s);
    }
    return out;
  }

  /** The ring is full: squeezes out the stale entries (at least one), keeping the order. */
  private compact(): void {
    invariant(this.size <= this.mask, "slot-ring-full", "SlotRing: pushed more slots than it holds");
    const cells = this.cells;
    const stale = this.stale;
    const live = new Int32Array(this.size);
    let n = 0;
    let c = this.first;
    do {
      const s = cells[c]!;
      if (stale[s] === 0) live[n++] = s;
      else stale[s]!--;
      c = (c + 1) & this.mask;
    } while (c !== this.first);
    cells.set(live);
    this.first = 0;
    this.next = n;
  }
}
