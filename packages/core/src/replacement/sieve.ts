/**
 * SIEVE: one FIFO queue and a hand that walks from the oldest end toward the newest; it
 * clears visited bits and evicts the first unvisited page, then stays where it stopped.
 * New pages go to the newest end, and hits only set a bit (no list moves), so survivors
 * keep their place: lazy promotion, quick demotion.
 * Source: Zhang, Yang, Yue, Vigfusson and Rashmi, "SIEVE is simpler than LRU", NSDI 2024.
 *
 * The queue is an array of slots in insertion order (twice the capacity long): a new page
 * is appended, an evicted one leaves a hole, and when the array is full the survivors are
 * moved to its front in order. The hand then walks memory sequentially, as a clock hand
 * does, instead of chasing list links.
 * Cost: O(1) per hit; amortized O(1) per miss (each hole is passed once per lap of the
 * hand and moved once per compaction).
 */
import type { ReplacementPolicy } from "./policy.js";

const HOLE = -1;
/** `hand` when the next walk starts at the oldest page. */
const AT_OLDEST = -1;

export class SievePolicy implements ReplacementPolicy {
  readonly name = "sieve";
  readonly capacity: number;
  /** Positions 0..end-1: slots from the oldest to the newest, or holes. */
  private readonly order: Int32Array;
  private end = 0;
  /** Slot → its position in `order`. */
  private readonly pos: Int32Array;
  private readonly visited: Uint8Array;
  /** The position of the next page to examine (always a page, not a hole), or AT_OLDEST. */
  private hand = AT_OLDEST;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.order = new Int32Array(2 * capacity).fill(HOLE);
    this.pos = new Int32Array(capacity);
    this.visited = new Uint8Array(capacity);
  }

  onHit(slot: number, _write: boolean): void {
    this.visited[slot] = 1;
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    this.visited[slot] = 0;
    if (this.end === this.order.length) this.compact();
    this.order[this.end] = slot;
    this.pos[slot] = this.end++;
  }

  evict(): number {
    const order = this.order;
    const visited = this.visited;
    const end = this.end;
    let h = this.hand === AT_OLDEST ? 0 : this.hand;
    let slot = order[h]!;
    while (slot === HOLE || visited[slot] === 1) {
      if (slot !== HOLE) visited[slot] = 0;
      if (++h === end) h = 0;
      slot = order[h]!;
    }
    order[h] = HOLE;
    this.hand = this.nextPage(h + 1);
    return slot;
  }

  remove(slot: number): void {
    const p = this.pos[slot]!;
    this.order[p] = HOLE;
    if (this.hand === p) this.hand = this.nextPage(p + 1);
  }

  /** The first page at or after position `p`, or AT_OLDEST when there is none. */
  private nextPage(p: number): number {
    const order = this.order;
    const end = this.end;
    while (p < end && order[p] === HOLE) p++;
    return p < end ? p : AT_OLDEST;
  }

  /** Moves the pages to the front of `order`, in order, closing the holes. */
  private compact(): void {
    const order = this.order;
    const pos = this.pos;
    let w = 0;
    let hand = AT_OLDEST;
    for (let r = 0; r < this.end; r++) {
      const slot = order[r]!;
      if (slot === HOLE) continue;
      if (r === this.hand) hand = w;
      order[w] = slot;
      pos[slot] = w++;
    }
    order.fill(HOLE, w, this.end);
    this.end = w;
    this.hand = hand;
  }
}
