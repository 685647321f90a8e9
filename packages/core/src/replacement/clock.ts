/**
 * Clock (second chance): frames on a circle with one referenced bit each; the hand clears
 * set bits and evicts the first frame whose bit is already clear. A new page starts with
 * its bit clear (as libCacheSim's Clock does), so it survives until the hand comes round.
 * Source: Corbató, "A paging experiment with the Multics system", MIT Project MAC, 1968;
 * Tanenbaum, Modern Operating Systems, 3.4.5.
 * Cost: O(1) per hit (set a bit); amortized O(1) per miss (each sweep step clears a bit
 * that a hit set).
 */
import type { ReplacementPolicy } from "./policy.js";

export class ClockPolicy implements ReplacementPolicy {
  readonly name = "clock";
  readonly capacity: number;
  /** Per slot: 0 empty, 1 resident unreferenced, 2 resident referenced. */
  private readonly state: Uint8Array;
  private hand = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.state = new Uint8Array(capacity);
  }

  onHit(slot: number, _write: boolean): void {
    this.state[slot] = 2;
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    this.state[slot] = 1;
  }

  evict(): number {
    const state = this.state;
    const n = this.capacity;
    let hand = this.hand;
    for (;;) {
      const s = state[hand]!;
      if (s === 1) break;
      if (s === 2) state[hand] = 1;
      hand = hand + 1 === n ? 0 : hand + 1;
    }
    state[hand] = 0;
    this.hand = hand + 1 === n ? 0 : hand + 1;
    return hand;
  }

  remove(slot: number): void {
    this.state[slot] = 0;
  }
}
