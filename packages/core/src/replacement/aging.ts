/**
 * Aging (n-bit): each frame keeps an n-bit counter; at every clock tick the counter shifts
 * right and the referenced bit enters at the top, then the bit is cleared. The victim has
 * the smallest counter (a page referenced since the last tick beats an equal counter
 * without); ties go to the lowest frame. A software approximation of LRU.
 * Source: Tanenbaum, Modern Operating Systems, 3.4.7.
 * Cost: O(1) per hit; O(M) per tick (every `tick` references, default M: amortized O(1));
 * O(M) per miss (a scan for the minimum, stopping early at a zero counter).
 */
import type { ReplacementPolicy } from "./policy.js";

export class AgingPolicy implements ReplacementPolicy {
  readonly name = "aging";
  readonly capacity: number;
  readonly bits: number;
  readonly tick: number;
  /** Per slot: the counter times 2 plus the referenced bit, or -1 for an empty slot. */
  private readonly age: Float64Array;
  private sinceTick = 0;

  /** `bits` in 1..32 (default 8); `tick` references between shifts (default capacity). */
  constructor(capacity: number, bits = 8, tick = capacity) {
    this.capacity = capacity;
    this.bits = Math.min(32, Math.max(1, Math.floor(bits)));
    this.tick = Math.max(1, Math.floor(tick));
    this.age = new Float64Array(capacity).fill(-1);
  }

  onHit(slot: number, _write: boolean): void {
    const a = this.age[slot]!;
    if (a % 2 === 0) this.age[slot] = a + 1;
    this.advance();
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    this.age[slot] = 1; // counter 0, referenced
    this.advance();
  }

  evict(): number {
    const age = this.age;
    let best = -1;
    let bestAge = Number.POSITIVE_INFINITY;
    for (let s = 0; s < this.capacity; s++) {
      const a = age[s]!;
      if (a >= 0 && a < bestAge) {
        best = s;
        bestAge = a;
        if (a === 0) break;
      }
    }
    age[best] = -1;
    return best;
  }

  remove(slot: number): void {
    this.age[slot] = -1;
  }

  private advance(): void {
    if (++this.sinceTick < this.tick) return;
    this.sinceTick = 0;
    const age = this.age;
    const top = 2 ** this.bits; // the referenced bit's weight after the shift, times 2
    for (let s = 0; s < this.capacity; s++) {
      const a = age[s]!;
      if (a < 0) continue;
      const counter = Math.floor(a / 2);
      age[s] = 2 * Math.floor(counter / 2) + (a % 2 === 1 ? top : 0);
    }
  }
}
