/**
 * OPT (Belady's MIN): evict the page whose next reference lies furthest in the future
 * (never referenced again counts as furthest). Optimal for misses; needs the whole future,
 * so it runs on a trace in memory with next-use times from `nextUseTimes`, one backward
 * pass. Source: Belady 1966; Mattson et al. 1970 prove it a stack algorithm.
 * Cost: O(log M) per access (an indexed 4-ary max-heap of slots keyed by next use: half
 * the depth of a binary heap, and a node's four children share a cache line); O(1) for pages never
 * referenced again, which wait on a stack and are evicted first.
 */
import { invariant } from "../base/errors.js";
import { KeyMap } from "./keymap.js";
import type { FutureAware, ReplacementPolicy } from "./policy.js";

export class OptPolicy implements ReplacementPolicy, FutureAware {
  readonly name = "opt";
  readonly capacity: number;
  /** Heap position → slot, and → that slot's next use (kept side by side for the sifts). */
  private readonly heap: Int32Array;
  private readonly prio: Float64Array;
  /** Slot → heap position (>= 0), or -2 - i for index i of the dead stack, or -1. */
  private readonly pos: Int32Array;
  private size = 0;
  /** Slots whose page is never referenced again: each of them is an optimal victim. */
  private readonly dead: Int32Array;
  private deadCount = 0;
  private pending = Number.POSITIVE_INFINITY;
  /**
   * True after `evict` took the heap's root and left its place empty: the insertion that
   * normally follows fills it with one sift down (instead of a sift down to close the hole
   * plus a sift up for the newcomer); any other call closes the hole first.
   */
  private hole = false;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.heap = new Int32Array(capacity);
    this.prio = new Float64Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
    this.dead = new Int32Array(capacity);
  }

  setNextUse(nextUse: number): void {
    this.pending = nextUse;
  }

  onHit(slot: number, _write: boolean): void {
    if (this.hole) this.closeHole();
    const p = this.pos[slot]!;
    if (p >= 0) {
      if (this.pending === Number.POSITIVE_INFINITY) {
        this.removeAt(p);
        this.pushDead(slot);
      } else this.siftUp(p, slot, this.pending); // a later next use can only rise
    } else if (this.pending !== Number.POSITIVE_INFINITY) {
      this.removeDead(slot);
      this.siftUp(this.size++, slot, this.pending);
    }
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    if (this.pending === Number.POSITIVE_INFINITY) {
      if (this.hole) this.closeHole();
      this.pushDead(slot);
    } else if (this.hole) {
      this.hole = false;
      this.siftDown(0, slot, this.pending);
    } else this.siftUp(this.size++, slot, this.pending);
  }

  evict(): number {
    if (this.hole) this.closeHole();
    if (this.deadCount > 0) {
      const victim = this.dead[--this.deadCount]!;
      this.pos[victim] = -1;
      return victim;
    }
    invariant(this.size > 0, "opt-empty", "OptPolicy.evict: no resident page");
    const victim = this.heap[0]!;
    this.pos[victim] = -1;
    this.hole = true;
    return victim;
  }

  remove(slot: number): void {
    if (this.hole) this.closeHole();
    const p = this.pos[slot]!;
    if (p >= 0) this.removeAt(p);
    else this.removeDead(slot);
  }

  /** Fills the empty root with the last element (the heap shrinks by one). */
  private closeHole(): void {
    this.hole = false;
    const n = --this.size;
    if (n > 0) this.siftDown(0, this.heap[n]!, this.prio[n]!);
  }

  private pushDead(slot: number): void {
    this.pos[slot] = -2 - this.deadCount;
    this.dead[this.deadCount++] = slot;
  }

  private removeDead(slot: number): void {
    const i = -2 - this.pos[slot]!;
    const last = this.dead[--this.deadCount]!;
    this.dead[i] = last;
    this.pos[last] = -2 - i;
    this.pos[slot] = -1;
  }

  private removeAt(i: number): void {
    const slot = this.heap[i]!;
    this.pos[slot] = -1;
    const n = --this.size;
    if (i === n) return;
    const last = this.heap[n]!;
    const p = this.prio[n]!;
    // The last element fills the hole: it may need to go up or down.
    if (i > 0 && this.prio[(i - 1) >> 2]! < p) this.siftUp(i, last, p);
    else this.siftDown(i, last, p);
  }

  /** Places `slot` with priority `p` at position `i` or above (parent of i: (i-1)/4). */
  private siftUp(i: number, slot: number, p: number): void {
    const heap = this.heap;
    const prio = this.prio;
    const pos = this.pos;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pp = prio[parent]!;
      if (pp >= p) break;
      const ps = heap[parent]!;
      heap[i] = ps;
      prio[i] = pp;
      pos[ps] = i;
      i = parent;
    }
    heap[i] = slot;
    prio[i] = p;
    pos[slot] = i;
  }

  /** Places `slot` with priority `p` at position `i` or below (children of i: 4i+1..4i+4). */
  private siftDown(i: number, slot: number, p: number): void {
    const heap = this.heap;
    const prio = this.prio;
    const pos = this.pos;
    const n = this.size;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let child = first;
      let cp = prio[first]!;
      const end = Math.min(first + 4, n);
      for (let c = first + 1; c < end; c++) {
        const q = prio[c]!;
        if (q > cp) {
          cp = q;
          child = c;
        }
      }
      if (cp <= p) break;
      const cs = heap[child]!;
      heap[i] = cs;
      prio[i] = cp;
      pos[cs] = i;
      i = child;
    }
    heap[i] = slot;
    prio[i] = p;
    pos[slot] = i;
  }
}

/**
 * For each of the first `count` keys, the index of the next reference to the same key, or
 * +Infinity when there is none: one backward pass, O(N). Keys that are all small
 * non-negative integers (below four times the count) index a flat array, like a page
 * table; others go through a hash map sized to the trace.
 */
export function nextUseTimes(keys: Float64Array, count: number, out = new Float64Array(count)): Float64Array {
  let max = 0;
  for (let i = 0; i < count; i++) {
    const key = keys[i]!;
    // Also false for NaN, fractions and keys of 2^31 and above.
    if (!((key | 0) === key && key >= 0)) {
      max = -1;
      break;
    }
    if (key > max) max = key;
  }
  if (max >= 0 && max < Math.max(1 << 16, 4 * count)) return nextUseDirect(keys, count, out, max);
  const last = new KeyMap(Math.min(count, 1 << 22));
  for (let i = count - 1; i >= 0; i--) {
    const key = keys[i]!;
    const b = last.find(key);
    const prev = last.valueAt(b);
    if (prev >= 0) {
      out[i] = prev;
      last.setAt(b, i);
    } else {
      out[i] = Number.POSITIVE_INFINITY;
      last.insertAt(b, key, i);
    }
  }
  return out;
}

/** `nextUseTimes` for integer keys in 0..max: the last use of key k sits at `last[k]`. */
function nextUseDirect(keys: Float64Array, count: number, out: Float64Array, max: number): Float64Array {
  const last = new Int32Array(max + 1).fill(-1);
  for (let i = count - 1; i >= 0; i--) {
    const key = keys[i]!;
    const prev = last[key]!;
    out[i] = prev >= 0 ? prev : Number.POSITIVE_INFINITY;
    last[key] = i;
  }
  return out;
}
