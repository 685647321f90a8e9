/**
 * Working-set size over time: W(t, τ) is the number of distinct pages referenced in the
 * window of the last τ references ending at t (Denning 1968). Kept incrementally: a
 * reference adds one when its page was not referenced within the window, and the
 * reference leaving the window subtracts one when it was its page's latest. A ring of the
 * last τ keys and a map of each page's latest time; O(1) per reference, O(τ) memory.
 */
import { KeyMap } from "../replacement/keymap.js";

export interface WorkingSetSample {
  /** References so far (the window ends at this reference). */
  readonly time: number;
  readonly size: number;
}

export class WorkingSetCurve {
  readonly window: number;
  readonly step: number;
  readonly samples: WorkingSetSample[] = [];
  private readonly ring: Float64Array;
  private readonly last = new KeyMap(1024);
  private now = 0;
  private size = 0;
  private sum = 0;
  private peak = 0;

  /** `window` τ in references; a sample every `step` references (default τ). */
  constructor(window: number, step = window) {
    this.window = Math.max(1, Math.floor(window));
    this.step = Math.max(1, Math.floor(step));
    this.ring = new Float64Array(this.window);
  }

  push(keys: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) this.reference(keys[i]!);
  }

  /** Processes one reference; returns the working-set size after it. */
  reference(key: number): number {
    const t = this.now;
    const w = this.window;
    if (t >= w) {
      // The reference at time t-w leaves the window.
      const old = this.ring[t % w]!;
      if (this.last.get(old) === t - w) {
        this.last.delete(old);
        this.size--;
      }
    }
    const prev = this.last.get(key);
    if (prev < 0) this.size++;
    this.last.set(key, t);
    this.ring[t % w] = key;
    this.now = t + 1;
    this.sum += this.size;
    if (this.size > this.peak) this.peak = this.size;
    if (this.now % this.step === 0) this.samples.push({ time: this.now, size: this.size });
    return this.size;
  }

  /** Mean working-set size over all references so far. */
  get mean(): number {
    return this.now === 0 ? 0 : this.sum / this.now;
  }

  get max(): number {
    return this.peak;
  }

  get references(): number {
    return this.now;
  }
}
