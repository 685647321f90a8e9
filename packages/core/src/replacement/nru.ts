/**
 * Enhanced Clock / NRU: pages fall into four classes by (referenced, modified); the hand
 * evicts from the lowest class first: (0,0) not used and clean, then (0,1) not used but
 * dirty (clearing referenced bits as it passes), then again, now that every bit is clear.
 * A new page starts referenced (it was just used), with its modified bit from the access.
 * Source: Silberschatz, Galvin and Gagne, Operating System Concepts, 10.4.5.3 (enhanced
 * second-chance); Tanenbaum, Modern Operating Systems, 3.4.2 (NRU).
 * Cost: O(1) per hit; O(M) worst case per miss (at most four sweeps), amortized far less.
 */
import type { ReplacementPolicy } from "./policy.js";

const REFERENCED = 1;
const MODIFIED = 2;
const RESIDENT = 4;

export class NruPolicy implements ReplacementPolicy {
  readonly name = "nru";
  readonly capacity: number;
  /** Per slot: RESIDENT | REFERENCED | MODIFIED bits. */
  private readonly bits: Uint8Array;
  private hand = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.bits = new Uint8Array(capacity);
  }

  onHit(slot: number, write: boolean): void {
    this.bits[slot] = this.bits[slot]! | REFERENCED | (write ? MODIFIED : 0);
  }

  onInsert(slot: number, _key: number, write: boolean): void {
    this.bits[slot] = RESIDENT | REFERENCED | (write ? MODIFIED : 0);
  }

  evict(): number {
    for (;;) {
      // Pass 1: a (0,0) page, touching nothing.
      let slot = this.sweep(RESIDENT, false);
      if (slot >= 0) return this.take(slot);
      // Pass 2: a (0,1) page, clearing referenced bits on the way.
      slot = this.sweep(RESIDENT | MODIFIED, true);
      if (slot >= 0) return this.take(slot);
    }
  }

  remove(slot: number): void {
    this.bits[slot] = 0;
  }

  /** One turn of the hand from its position; returns the first slot whose bits equal `want`. */
  private sweep(want: number, clear: boolean): number {
    const bits = this.bits;
    const n = this.capacity;
    let hand = this.hand;
    for (let step = 0; step < n; step++) {
      const b = bits[hand]!;
      if (b === want) {
        this.hand = hand;
        return hand;
      }
      if (clear && (b & REFERENCED) !== 0) bits[hand] = b & ~REFERENCED;
      hand = hand + 1 === n ? 0 : hand + 1;
    }
    this.hand = hand;
    return -1;
  }

  private take(slot: number): number {
    this.bits[slot] = 0;
    this.hand = slot + 1 === this.capacity ? 0 : slot + 1;
    return slot;
  }
}
