/**
 * OPT (Belady's MIN): evict the page whose next reference lies furthest in the future
 * (never referenced again counts as furthest). Optimal for misses; needs the whole future,
 * so it runs on a trace in memory with next-use times from `nextUseTimes`, one backward
 * pass. Source: Belady 1966; Mattson et al. 1970 prove it a stack algorithm.
 * Cost: O(log M) amortized per access. Resident pages sit in a 4-ary max-heap of
 * (next use, slot) pairs with lazy deletion: a hit pushes a fresh pair and leaves the old
 * one in place, stale (a pair counts only while its next use is the one recorded for its
 * slot). A stale pair left by a hit holds the time of that hit, below every live next
 * use, so it never reaches the root; `evict` drops the stale pairs it meets there (left by
 * `remove`), and when the heap holds twice the capacity in pairs it is rebuilt from the
 * live ones in O(M), amortized O(1) per hit. A hit thus sifts one pair up from the
 * bottom and writes no per-slot heap position. O(1) for pages never referenced again,
 * which wait on a stack and are evicted first.
 */
import { invariant } from "../base/errors.js";
import { KeyMap } from "./keymap.js";
import type { FutureAware, ReplacementPolicy } from "./policy.js";

/**
 * Heap layout: pair i (the root is pair 0, the children of pair i are 4i+1..4i+4) is
 * stored at Int32 index 2 * (i + ROOT) as [next use, slot], so one sift level reads one
 * group of four children, 32 contiguous bytes (at most two cache lines, one when the
 * group is 32-byte aligned). ROOT = 1 aligns the groups when the buffer starts 16 bytes
 * past a 32-byte boundary, as blocks that glibc serves with mmap do; JavaScript cannot
 * see the address, so this is a guess; a wrong one only splits some groups over two lines.
 */
const ROOT = 1;
const NEVER = Number.POSITIVE_INFINITY;

export class OptPolicy implements ReplacementPolicy, FutureAware {
  readonly name = "opt";
  readonly capacity: number;
  /** The heap's pairs, live and stale (see ROOT). */
  private readonly heap: Int32Array;
  /** Number of pairs in the heap; a rebuild happens before it would pass `maxPairs`. */
  private size = 0;
  private readonly maxPairs: number;
  /**
   * Slot → its recorded next use (>= 0: the heap holds a live pair for it), -1 for a
   * slot OPT does not track (empty), or -2 - i for index i of the dead stack.
   */
  private readonly next: Int32Array;
  /** Slots whose page is never referenced again: each of them is an optimal victim. */
  private readonly dead: Int32Array;
  private deadCount = 0;
  private pending = NEVER;
  /**
   * True after `evict` took the heap's root and left its place empty: the next pair to
   * enter (normally the insertion that follows) fills it with one sift down, instead of a
   * sift down to close the hole plus a sift up for the newcomer; `evict` closes it first.
   */
  private hole = false;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.maxPairs = 2 * capacity + 8;
    this.heap = new Int32Array(2 * (this.maxPairs + ROOT));
    this.next = new Int32Array(capacity).fill(-1);
    this.dead = new Int32Array(capacity);
  }

  /**
   * The next use of the page about to be referenced: an integer logical time below 2^31
   * (a trace position, as `nextUseTimes` gives), or +Infinity for never. Throws SimError
   * for anything else.
   */
  setNextUse(nextUse: number): void {
    if (nextUse !== NEVER && !((nextUse | 0) === nextUse && nextUse >= 0))
      invariant(
        false,
        "opt-next-use",
        `OptPolicy.setNextUse: ${nextUse} is not an integer time in [0, 2^31)`,
      );
    this.pending = nextUse;
  }

  onHit(slot: number, _write: boolean): void {
    const cur = this.next[slot]!;
    const t = this.pending;
    if (t === NEVER) {
      if (cur >= 0) this.pushDead(slot); // its heap pair turns stale
      return;
    }
    if (cur < -1) this.removeDead(slot);
    this.enter(slot, t);
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    const t = this.pending;
    if (t === NEVER) this.pushDead(slot);
    else this.enter(slot, t);
  }

  evict(): number {
    if (this.deadCount > 0) {
      const victim = this.dead[--this.deadCount]!;
      this.next[victim] = -1;
      return victim;
    }
    if (this.hole) this.closeHole();
    const heap = this.heap;
    for (;;) {
      invariant(this.size > 0, "opt-empty", "OptPolicy.evict: no resident page");
      const victim = heap[2 * ROOT + 1]!;
      if (this.next[victim] === heap[2 * ROOT]) {
        this.next[victim] = -1;
        this.hole = true;
        return victim;
      }
      this.closeHole(); // a stale root (its page was removed): drop it
    }
  }

  remove(slot: number): void {
    if (this.next[slot]! < -1) this.removeDead(slot);
    this.next[slot] = -1; // a heap pair for it turns stale
  }

  /**
   * Records next use `t` for `slot` and adds the pair: into the empty root if `evict` left
   * one (one sift down), else at the bottom (one sift up, after a rebuild when full).
   */
  private enter(slot: number, t: number): void {
    this.next[slot] = t;
    if (this.hole) {
      this.hole = false;
      this.siftDown(0, t, slot);
      return;
    }
    if (this.size === this.maxPairs) this.rebuild();
    this.siftUp(this.size++, t, slot);
  }

  /** Fills the empty root with the last pair (the heap shrinks by one). */
  private closeHole(): void {
    this.hole = false;
    const n = --this.size;
    if (n > 0) {
      const k = 2 * (n + ROOT);
      this.siftDown(0, this.heap[k]!, this.heap[k + 1]!);
    }
  }

  /**
   * Keeps the live pairs only, then heapifies them bottom-up (Floyd 1964): O(size).
   * Afterwards at most `capacity` pairs remain. Precondition: no hole.
   */
  private rebuild(): void {
    this.size = this.keepLive();
    // More live pairs than slots means duplicates: a slot was given the same next use
    // twice (never so with true next uses, where each time is one reference's next use).
    if (this.size > this.capacity) this.size = this.keepLiveOncePerSlot();
    const n = this.size;
    const heap = this.heap;
    for (let i = (n - 2) >> 2; i >= 0; i--)
      this.siftDown(i, heap[2 * (i + ROOT)]!, heap[2 * (i + ROOT) + 1]!);
  }

  /** Moves the live pairs to the front, keeping their order; returns their count. */
  private keepLive(): number {
    const heap = this.heap;
    const next = this.next;
    const end = 2 * (this.size + ROOT);
    let k = 2 * ROOT;
    for (let j = k; j < end; j += 2) {
      const t = heap[j]!;
      const slot = heap[j + 1]!;
      heap[k] = t;
      heap[k + 1] = slot;
      // Without a branch (live or stale is a coin flip to the branch predictor): the
      // pair just written stays, k moving on by 2, exactly when d is 0.
      const d = next[slot]! ^ t;
      k += 2 - (((d | -d) >>> 31) << 1);
    }
    return k / 2 - ROOT;
  }

  /** `keepLive` that also keeps only the first of two live pairs for one slot. */
  private keepLiveOncePerSlot(): number {
    const heap = this.heap;
    const next = this.next;
    const end = 2 * (this.size + ROOT);
    let k = 2 * ROOT;
    for (let j = k; j < end; j += 2) {
      const t = heap[j]!;
      const slot = heap[j + 1]!;
      if (next[slot] !== t) continue;
      next[slot] = -3 - t; // kept: a second pair for the slot no longer matches
      heap[k] = t;
      heap[k + 1] = slot;
      k += 2;
    }
    for (let j = 2 * ROOT; j < k; j += 2) next[heap[j + 1]!] = heap[j]!;
    return k / 2 - ROOT;
  }

  /** Places pair (t, slot) at position `i` or above (parent of i: (i-1)/4). */
  private siftUp(i: number, t: number, slot: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const k = 2 * (parent + ROOT);
      const pt = heap[k]!;
      if (pt >= t) break;
      const d = 2 * (i + ROOT);
      heap[d] = pt;
      heap[d + 1] = heap[k + 1]!;
      i = parent;
    }
    const d = 2 * (i + ROOT);
    heap[d] = t;
    heap[d + 1] = slot;
  }

  /** Places pair (t, slot) at position `i` or below (children of i: 4i+1..4i+4). */
  private siftDown(i: number, t: number, slot: number): void {
    const heap = this.heap;
    const n = this.size;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let child = first;
      let k = 2 * (first + ROOT);
      let ct = heap[k]!;
      if (first + 3 < n) {
        // A full group of four, unrolled: the common case.
        const t1 = heap[k + 2]!;
        const t2 = heap[k + 4]!;
        const t3 = heap[k + 6]!;
        if (t1 > ct) {
          ct = t1;
          child = first + 1;
        }
        if (t2 > ct) {
          ct = t2;
          child = first + 2;
        }
        if (t3 > ct) {
          ct = t3;
          child = first + 3;
        }
      } else {
        for (let c = first + 1; c < n; c++) {
          const q = heap[2 * (c + ROOT)]!;
          if (q > ct) {
            ct = q;
            child = c;
          }
        }
      }
      if (ct <= t) break;
      k = 2 * (child + ROOT);
      const d = 2 * (i + ROOT);
      heap[d] = ct;
      heap[d + 1] = heap[k + 1]!;
      i = child;
    }
    const d = 2 * (i + ROOT);
    heap[d] = t;
    heap[d + 1] = slot;
  }

  private pushDead(slot: number): void {
    this.next[slot] = -2 - this.deadCount;
    this.dead[this.deadCount++] = slot;
  }

  private removeDead(slot: number): void {
    const i = -2 - this.next[slot]!;
    const last = this.dead[--this.deadCount]!;
    this.dead[i] = last;
    this.next[last] = -2 - i;
    this.next[slot] = -1;
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
