/**
 * One-pass LRU stack distances (Mattson, Gecsei, Slutz and Traiger, "Evaluation
 * techniques for storage hierarchies", IBM Systems Journal 9(2), 1970): a reference's
 * distance is the number of distinct pages referenced since the previous reference to the
 * same page, plus one; LRU with c frames hits exactly the references with distance <= c,
 * for every c at once.
 *
 * Counting the distinct pages in between is an order-statistics query: every page marks
 * the time of its latest reference in a bit set, and the distance is the number of marks
 * after the previous one (Bennett and Kruskal, "LRU stack processing", IBM J. R&D 1975,
 * with a Fenwick tree, Fenwick 1994). The bit set has one bit per time in a window that is
 * compacted (marks renumbered in order) when full, so memory stays O(M) for M distinct
 * pages. The Fenwick tree counts marks per block of 512 times (16 words, one cache line of
 * the bit set), so it is 512 times smaller than the window and stays in cache; a query
 * adds at most 15 word popcounts from the one line it reads anyway.
 * Cost: O(log M) per reference.
 */
import { KeyMap } from "../replacement/keymap.js";

const BLOCK_SHIFT = 9;
const BLOCK = 1 << BLOCK_SHIFT;

export class LruStackDistance {
  /** Window size in times (a multiple of 32). */
  private window: number;
  private bits: Int32Array;
  /** Fenwick tree over blocks of 512 times (16 words of `bits`), 1-based. */
  private tree: Int32Array;
  private posKey: Float64Array;
  private readonly last = new KeyMap(1 << 12);
  private now = 0;
  private live = 0;
  /** hist[d] = references with stack distance d (d >= 1). */
  private hist: Float64Array = new Float64Array(1024);
  private maxSeen = 0;
  /** First references (infinite distance). */
  cold = 0;
  references = 0;

  constructor(initialWindow = 1 << 16) {
    this.window = Math.max(BLOCK, Math.ceil(initialWindow / BLOCK) * BLOCK);
    this.bits = new Int32Array(this.window / 32);
    this.tree = new Int32Array(this.window / BLOCK + 1);
    this.posKey = new Float64Array(this.window);
  }

  /** Distinct pages seen so far. */
  get distinct(): number {
    return this.live;
  }

  /** Processes `count` references. */
  push(keys: Float64Array, count: number): void {
    for (let i = 0; i < count; i++) this.distance(keys[i]!);
  }

  /** Processes one reference; returns its stack distance (+Infinity for a first reference). */
  reference(key: number): number {
    const d = this.distance(key);
    return d === 0 ? Number.POSITIVE_INFINITY : d;
  }

  /** Processes one reference; returns its stack distance, 0 for a first reference. */
  private distance(key: number): number {
    if (this.now === this.window) this.compact();
    const last = this.last;
    const b = last.find(key);
    const prev = last.valueAt(b);
    const now = this.now;
    let d = 0;
    if (prev >= 0) {
      d = (this.live - this.countBefore(prev + 1) + 1) | 0;
      this.flip(prev, -1);
      last.setAt(b, now);
      if (d >= this.hist.length) this.growHist(d);
      this.hist[d] = this.hist[d]! + 1;
      if (d > this.maxSeen) this.maxSeen = d;
    } else {
      this.cold++;
      this.live++;
      last.insertAt(b, key, now);
    }
    this.flip(now, 1);
    this.posKey[now] = key;
    this.now = now + 1;
    this.references++;
    return d;
  }

  /** Misses of LRU with `frames` frames over the references so far. */
  misses(frames: number): number {
    let m = this.cold;
    for (let d = Math.max(1, Math.floor(frames) + 1); d <= this.maxSeen; d++) m += this.hist[d]!;
    return m;
  }

  /** Misses for every size 0..maxFrames (index = frames), in one backward sum. */
  missCurve(maxFrames: number): Float64Array {
    const out = new Float64Array(maxFrames + 1);
    let beyond = this.cold;
    for (let d = this.maxSeen; d > maxFrames; d--) beyond += this.hist[d]!;
    out[maxFrames] = beyond;
    for (let c = maxFrames - 1; c >= 0; c--)
      out[c] = out[c + 1]! + (c + 1 <= this.maxSeen ? this.hist[c + 1]! : 0);
    return out;
  }

  /** Number of set marks at times < x. */
  private countBefore(x: number): number {
    const tree = this.tree;
    const bits = this.bits;
    const w = x >>> 5;
    let sum = 0;
    for (let i = x >>> BLOCK_SHIFT; i > 0; i -= i & -i) sum += tree[i]!;
    for (let j = w & ~15; j < w; j++) sum += popcount(bits[j]!);
    const r = x & 31;
    if (r !== 0) sum += popcount(bits[w]! & ((1 << r) - 1));
    return sum;
  }

  private flip(t: number, delta: number): void {
    const w = t >>> 5;
    this.bits[w] = this.bits[w]! ^ (1 << (t & 31));
    const tree = this.tree;
    const n = tree.length;
    for (let i = (t >>> BLOCK_SHIFT) + 1; i < n; i += i & -i) tree[i] = tree[i]! + delta;
  }

  /** Renumbers the live marks 0..live-1 in time order (growing the window if half full). */
  private compact(): void {
    const oldBits = this.bits;
    const oldKeys = this.posKey;
    while (this.live * 4 > this.window) this.window *= 2;
    const words = this.window / 32;
    const blocks = this.window / BLOCK;
    this.bits = new Int32Array(words);
    this.tree = new Int32Array(blocks + 1);
    this.posKey = new Float64Array(this.window);
    let next = 0;
    for (let w = 0; w < oldBits.length; w++) {
      let word = oldBits[w]!;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        word &= word - 1;
        const key = oldKeys[w * 32 + bit]!;
        this.last.set(key, next);
        this.posKey[next] = key;
        this.bits[next >>> 5] = this.bits[next >>> 5]! | (1 << (next & 31));
        next++;
      }
    }
    // Build the Fenwick tree in O(words).
    const tree = this.tree;
    for (let w = 0; w < words; w++) tree[(w >>> 4) + 1] = tree[(w >>> 4) + 1]! + popcount(this.bits[w]!);
    for (let i = 1; i <= blocks; i++) {
      const j = i + (i & -i);
      if (j <= blocks) tree[j] = tree[j]! + tree[i]!;
    }
    this.now = next;
  }

  private growHist(d: number): void {
    let n = this.hist.length;
    while (n <= d) n *= 2;
    const h = new Float64Array(n);
    h.set(this.hist);
    this.hist = h;
  }
}

/** Number of set bits in a 32-bit integer. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
