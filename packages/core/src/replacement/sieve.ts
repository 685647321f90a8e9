/**
 * SIEVE: one FIFO queue and a hand that walks from the oldest end toward the newest; it
 * clears visited bits and evicts the first unvisited page, then stays where it stopped.
 * New pages go to the newest end, and hits only set a bit (no list moves), so survivors
 * keep their place: lazy promotion, quick demotion.
 * Source: Zhang, Yang, Yue, Vigfusson and Rashmi, "SIEVE is simpler than LRU", NSDI 2024.
 * Cost: O(1) per hit; amortized O(1) per miss.
 *
 * The queue is kept as two rings of slots, so the hand reads memory in order. Oldest
 * first, the queue is `passed` (the survivors the hand has walked past in this round)
 * then `ahead` (from the hand to the newest page). When `ahead` runs out, the hand wraps
 * to the oldest page: `passed` becomes `ahead`.
 */
import type { ReplacementPolicy } from "./policy.js";
import { SlotRing } from "./slot-ring.js";

export class SievePolicy implements ReplacementPolicy {
  readonly name = "sieve";
  readonly warmIndex = false;
  readonly capacity: number;
  /** From the hand (oldest first) to the newest page. */
  private ahead: SlotRing;
  /** Pages the hand has passed in this round, oldest first. */
  private passed: SlotRing;
  /** Per slot; clear for every slot not in the queue. */
  private readonly visited: Uint8Array;
  /** Rounds of the hand, counted: `passedIn[s] === round` while slot s is in `passed`. */
  private round = 0;
  private readonly passedIn: Int32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.ahead = new SlotRing(capacity);
    this.passed = new SlotRing(capacity);
    this.visited = new Uint8Array(capacity);
    this.passedIn = new Int32Array(capacity).fill(-1);
  }

  onHit(slot: number, _write: boolean): void {
    this.visited[slot] = 1;
  }

  /** The slot arrives unvisited: a victim's bit is clear, and `remove` clears the bit. */
  onInsert(slot: number, _key: number, _write: boolean): void {
    this.ahead.push(slot);
  }

  evict(): number {
    const o = this.ahead.pop();
    // Most victims are found at once; the walk past visited pages is kept out of line.
    if (this.visited[o] === 1) return this.walk(o);
    if (this.ahead.size === 0) this.wrap();
    return o;
  }

  /** From the visited page `o`, just taken from `ahead`: passes visited pages (clearing their bits) and returns the first unvisited one. */
  private walk(o: number): number {
    const visited = this.visited;
    for (;;) {
      if (visited[o] === 0) {
        if (this.ahead.size === 0) this.wrap();
        return o;
      }
      visited[o] = 0;
      this.passed.push(o);
      this.passedIn[o] = this.round;
      if (this.ahead.size === 0) this.wrap();
      o = this.ahead.pop();
    }
  }

  remove(slot: number): void {
    this.visited[slot] = 0;
    if (this.passedIn[slot] === this.round) {
      this.passedIn[slot] = -1;
      this.passed.remove(slot);
    } else {
      this.ahead.remove(slot);
      if (this.ahead.size === 0) this.wrap();
    }
  }

  /** The hand has passed the newest page: it goes back to the oldest. */
  private wrap(): void {
    const done = this.ahead;
    this.ahead = this.passed;
    this.passed = done;
    done.clear();
    this.round++;
  }
}
