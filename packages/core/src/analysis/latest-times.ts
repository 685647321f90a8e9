/**
 * Each page's latest reference time, the lookup half of a one-pass LRU stack-distance pass
 * (stack-distance.ts). Times live in a window that is renumbered when full: the live
 * times (one per page) become 0..live-1 in order, and the window doubles while more than
 * a quarter of it would be live. `LatestTimes` is the table itself; `PreviousTimes` runs
 * the whole schedule on its own, so another thread can turn a trace into previous times
 * that `LruStackDistance.pushPrevious` then counts, exactly as if it had looked them up.
 * A page's time sits in a flat array indexed by page number when the number is small
 * (one memory access, no hashing; the usual case), else in a hash map.
 * Cost: O(1) per reference, plus O(M + window) per renumbering, once per window.
 */
import { KeyMap } from "../replacement/keymap.js";
import { popcount } from "./popcount.js";

/** log2 of the times per super block of the counting structure: windows are multiples of it. */
export const LOG_WINDOW_STEP = 12;
const WINDOW_STEP = 1 << LOG_WINDOW_STEP;
/**
 * Integer keys below this (page numbers of up to 16 GiB of 4 KiB pages) index a flat
 * array, as a page table would (at most 16 MiB); others go through a hash map.
 */
const NEAR_LIMIT = 1 << 22;

/** The window to start with for a requested size (a positive multiple of WINDOW_STEP). */
export function firstWindow(requested: number): number {
  return Math.max(WINDOW_STEP, Math.ceil(requested / WINDOW_STEP) * WINDOW_STEP);
}

/** The window after renumbering `live` times: doubled while over a quarter full. */
export function nextWindow(live: number, window: number): number {
  while (live * 4 > window) window *= 2;
  return window;
}

/** Page → time of its latest reference. */
export class LatestTimes {
  private near: Int32Array = new Int32Array(1 << 12).fill(-1);
  private readonly far = new KeyMap(1 << 12);

  /**
   * Gives keys[from..from+n) the times t, t+1, … in turn, writing each one's previous
   * time (-1: none) to out[at..at+n).
   */
  swap(keys: Float64Array, from: number, n: number, t: number, out: Int32Array, at: number): void {
    let near = this.near;
    for (let j = 0; j < n; j++, t++) {
      const key = keys[from + j]!;
      let prev: number;
      if (key < NEAR_LIMIT && key >= 0 && (key | 0) === key) {
        if (key >= near.length) near = this.growNear(key);
        prev = near[key]!;
        near[key] = t;
      } else prev = this.swapFar(key, t);
      out[at + j] = prev;
    }
  }

  /** Forgets `key` if its latest time is still `t`. */
  forget(key: number, t: number): void {
    if (key < NEAR_LIMIT && key >= 0 && (key | 0) === key) {
      if (this.near[key] === t) this.near[key] = -1;
    } else if (this.far.get(key) === t) this.far.delete(key);
  }

  /** Replaces every time t by `to(t)`. */
  renumber(to: (t: number) => number): void {
    this.far.mapValues(to);
    const near = this.near;
    for (let k = 0; k < near.length; k++) if (near[k]! >= 0) near[k] = to(near[k]!);
  }

  /** Marks every time in `bits` (one bit per time). */
  mark(bits: Int32Array): void {
    const set = (t: number) => {
      bits[t >>> 5] = bits[t >>> 5]! | (1 << (t & 31));
      return t;
    };
    this.far.mapValues(set);
    const near = this.near;
    for (let k = 0; k < near.length; k++) if (near[k]! >= 0) set(near[k]!);
  }

  /** Sets `key`'s time in the hash map to `t`; returns the previous one or -1. */
  private swapFar(key: number, t: number): number {
    const far = this.far;
    const b = far.find(key);
    const prev = far.valueAt(b);
    if (prev >= 0) far.setAt(b, t);
    else far.insertAt(b, key, t);
    return prev;
  }

  /** Widens `near` to cover `key` (< NEAR_LIMIT); returns the new array. */
  private growNear(key: number): Int32Array {
    let n = this.near.length;
    while (n <= key) n *= 2;
    const near = new Int32Array(n).fill(-1);
    near.set(this.near);
    this.near = near;
    return near;
  }
}

/**
 * Renumbers the times of `bits` by rank: returns t → the number of marks before t, from
 * per-word prefix counts and one popcount.
 */
export function rankOf(bits: Int32Array): (t: number) => number {
  const before = new Int32Array(bits.length);
  for (let w = 1; w < bits.length; w++) before[w] = before[w - 1]! + popcount(bits[w - 1]!);
  return (t) => before[t >>> 5]! + popcount(bits[t >>> 5]! & ((1 << (t & 31)) - 1));
}

/**
 * The previous reference time of every reference (-1 for a page's first), in the
 * renumbered times an unbounded `LruStackDistance` made with the same window would use.
 */
export class PreviousTimes {
  private readonly times = new LatestTimes();
  private window: number;
  private now = 0;
  private live = 0;

  constructor(initialWindow = 1 << 16) {
    this.window = firstWindow(initialWindow);
  }

  /** Writes the previous times of keys[0..count) to out[0..count). */
  push(keys: Float64Array, count: number, out: Int32Array): void {
    for (let i = 0; i < count; ) {
      if (this.now === this.window) this.compact();
      const n = Math.min(count - i, this.window - this.now);
      this.times.swap(keys, i, n, this.now, out, i);
      for (let j = i; j < i + n; j++) if (out[j]! < 0) this.live++;
      this.now += n;
      i += n;
    }
  }

  /** Renumbers the live times 0..live-1 in order, as the counting side does at the same time. */
  private compact(): void {
    const bits = new Int32Array(this.window / 32);
    this.times.mark(bits);
    this.times.renumber(rankOf(bits));
    this.window = nextWindow(this.live, this.window);
    this.now = this.live;
  }
}
