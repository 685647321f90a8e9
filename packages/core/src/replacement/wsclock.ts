/**
 * WSClock: Clock over the frames with each frame's time of last use; the hand skips
 * (and clears) referenced frames, and takes the first unreferenced clean frame older than
 * the window τ. An old dirty frame is scheduled for cleaning instead (its modified bit is
 * cleared here; the write-back is counted when the page is finally evicted) and passed.
 * After two turns without an old clean frame, the frame with the oldest last use goes.
 * Source: Carr and Hennessy, "WSCLOCK: a simple and effective algorithm for virtual
 * memory management", SOSP 1981; Tanenbaum, Modern Operating Systems, 3.4.9.
 * Cost: O(1) per hit; O(M) worst case per miss.
 */
import type { ReplacementPolicy } from "./policy.js";

const REFERENCED = 1;
const MODIFIED = 2;
const RESIDENT = 4;

export class WsClockPolicy implements ReplacementPolicy {
  readonly name = "wsclock";
  readonly capacity: number;
  readonly window: number;
  private readonly bits: Uint8Array;
  private readonly lastUse: Float64Array;
  private hand = 0;
  private now = 0;

  /** `window` τ in references (default 4 × capacity). */
  constructor(capacity: number, window = 4 * capacity) {
    this.capacity = capacity;
    this.window = Math.max(1, Math.floor(window));
    this.bits = new Uint8Array(capacity);
    this.lastUse = new Float64Array(capacity);
  }

  onHit(slot: number, write: boolean): void {
    this.now++;
    this.bits[slot] = this.bits[slot]! | REFERENCED | (write ? MODIFIED : 0);
  }

  onInsert(slot: number, _key: number, write: boolean): void {
    this.now++;
    this.bits[slot] = RESIDENT | REFERENCED | (write ? MODIFIED : 0);
    this.lastUse[slot] = this.now;
  }

  evict(): number {
    const n = this.capacity;
    const bits = this.bits;
    let hand = this.hand;
    for (let step = 0; step < 2 * n; step++) {
      const b = bits[hand]!;
      if ((b & REFERENCED) !== 0) {
        bits[hand] = b & ~REFERENCED;
        this.lastUse[hand] = this.now;
      } else if (b !== 0 && this.now - this.lastUse[hand]! > this.window) {
        if ((b & MODIFIED) === 0) return this.take(hand);
        bits[hand] = b & ~MODIFIED; // cleaning scheduled
      }
      hand = hand + 1 === n ? 0 : hand + 1;
    }
    this.hand = hand;
    return this.take(this.oldest());
  }

  remove(slot: number): void {
    this.bits[slot] = 0;
  }

  private oldest(): number {
    let best = -1;
    for (let s = 0; s < this.capacity; s++)
      if (this.bits[s] !== 0 && (best < 0 || this.lastUse[s]! < this.lastUse[best]!)) best = s;
    return best;
  }

  private take(slot: number): number {
    this.bits[slot] = 0;
    this.hand = slot + 1 === this.capacity ? 0 : slot + 1;
    return slot;
  }
}
