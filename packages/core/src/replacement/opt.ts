/**
 * OPT (Belady's MIN): evict the page whose next reference lies furthest in the future
 * (never referenced again counts as furthest). Optimal for misses; needs the whole future,
 * so it runs on a trace in memory with next-use times from `nextUseTimes`, one backward
 * pass. Source: Belady 1966; Mattson et al. 1970 prove it a stack algorithm.
 * Cost: O(log M) per access (an indexed binary max-heap of slots keyed by next use).
 */
import { invariant } from "../base/errors.js";
import { KeyMap } from "./keymap.js";
import type { FutureAware, ReplacementPolicy } from "./policy.js";

export class OptPolicy implements ReplacementPolicy, FutureAware {
  readonly name = "opt";
  readonly capacity: number;
  /** Heap position → slot. */
  private readonly heap: Int32Array;
  /** Slot → heap position. */
  private readonly pos: Int32Array;
  /** Slot → next-use time of its page. */
  private readonly next: Float64Array;
  private size = 0;
  private pending = Number.POSITIVE_INFINITY;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.heap = new Int32Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
    this.next = new Float64Array(capacity);
  }

  setNextUse(nextUse: number): void {
    this.pending = nextUse;
  }

  onHit(slot: number, _write: boolean): void {
    // The next use only moves later, so the slot can only rise in a max-heap.
    this.next[slot] = this.pending;
    this.siftUp(this.pos[slot]!);
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    this.next[slot] = this.pending;
    const i = this.size++;
    this.heap[i] = slot;
    this.pos[slot] = i;
    this.siftUp(i);
  }

  evict(): number {
    invariant(this.size > 0, "opt-empty", "OptPolicy.evict: no resident page");
    const victim = this.heap[0]!;
    this.removeAt(0);
    return victim;
  }

  remove(slot: number): void {
    this.removeAt(this.pos[slot]!);
  }

  private removeAt(i: number): void {
    const slot = this.heap[i]!;
    const last = this.heap[--this.size]!;
    this.pos[slot] = -1;
    if (i === this.size) return;
    this.heap[i] = last;
    this.pos[last] = i;
    this.siftUp(i);
    this.siftDown(this.pos[last]!);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const pos = this.pos;
    const next = this.next;
    const slot = heap[i]!;
    const key = next[slot]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const ps = heap[parent]!;
      if (next[ps]! >= key) break;
      heap[i] = ps;
      pos[ps] = i;
      i = parent;
    }
    heap[i] = slot;
    pos[slot] = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const pos = this.pos;
    const next = this.next;
    const n = this.size;
    const slot = heap[i]!;
    const key = next[slot]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && next[heap[child + 1]!]! > next[heap[child]!]!) child++;
      const cs = heap[child]!;
      if (next[cs]! <= key) break;
      heap[i] = cs;
      pos[cs] = i;
      i = child;
    }
    heap[i] = slot;
    pos[slot] = i;
  }
}

/**
 * For each of the first `count` keys, the index of the next reference to the same key, or
 * +Infinity when there is none: one backward pass with a hash map, O(N).
 */
export function nextUseTimes(keys: Float64Array, count: number, out = new Float64Array(count)): Float64Array {
  const last = new KeyMap(1024);
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
