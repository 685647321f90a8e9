/**
 * SIEVE: one FIFO queue and a hand that walks from the oldest end toward the newest; it
 * clears visited bits and evicts the first unvisited page, then stays where it stopped.
 * New pages go to the newest end, and hits only set a bit (no list moves), so survivors
 * keep their place: lazy promotion, quick demotion.
 * Source: Zhang, Yang, Yue, Vigfusson and Rashmi, "SIEVE is simpler than LRU", NSDI 2024.
 * Cost: O(1) per hit; amortized O(1) per miss.
 */
import { DList, Links } from "./dlist.js";
import type { ReplacementPolicy } from "./policy.js";

const NIL = -1;

export class SievePolicy implements ReplacementPolicy {
  readonly name = "sieve";
  readonly warmIndex = false;
  readonly capacity: number;
  private readonly queue: DList;
  private readonly visited: Uint8Array;
  /** The next slot to examine, or -1 to start at the oldest. */
  private hand = NIL;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.queue = new DList(new Links(capacity));
    this.visited = new Uint8Array(capacity);
  }

  onHit(slot: number, _write: boolean): void {
    this.visited[slot] = 1;
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    this.visited[slot] = 0;
    this.queue.pushHead(slot);
  }

  evict(): number {
    const q = this.queue;
    let o = this.hand === NIL ? q.tail : this.hand;
    // Most victims are found at once; the walk past visited pages is kept out of line.
    if (this.visited[o] === 1) o = this.walk(o);
    this.hand = q.newer(o);
    q.remove(o);
    return o;
  }

  /** From the visited page `o`, clears visited bits toward the newest end (wrapping) and returns the first unvisited page. */
  private walk(o: number): number {
    const q = this.queue;
    const visited = this.visited;
    while (visited[o] === 1) {
      visited[o] = 0;
      o = q.newer(o);
      if (o === NIL) o = q.tail;
    }
    return o;
  }

  remove(slot: number): void {
    if (this.hand === slot) this.hand = this.queue.newer(slot);
    this.queue.remove(slot);
  }
}
