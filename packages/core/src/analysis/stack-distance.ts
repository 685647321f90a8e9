/**
 * One-pass LRU stack distances (Mattson, Gecsei, Slutz and Traiger, "Evaluation
 * techniques for storage hierarchies", IBM Systems Journal 9(2), 1970): a reference's
 * distance is the number of distinct pages referenced since the previous reference to the
 * same page, plus one; LRU with c frames hits exactly the references with distance <= c,
 * for every c at once.
 *
 * Counting the distinct pages in between is an order-statistics query (Bennett and
 * Kruskal, "LRU stack processing", IBM J. R&D 1975): every page marks the time of its
 * latest reference in a bit set, and the distance is the number of marks after the
 * previous one. Counts are kept at three levels: bits, 256-time blocks, and 16,384-time
 * super blocks under a Fenwick tree (Fenwick 1994). A query is a Fenwick prefix sum over
 * the super blocks, at most 32 block counts and 7 word popcounts; a move is a few stores
 * and a Fenwick update, all on small cache-resident arrays. The bit set covers a window of times that is
 * compacted (marks renumbered by rank) when full, so memory stays O(M) for M distinct
 * pages and no time → page table is kept. Each page's latest time sits in a flat array
 * indexed by page number when the number is small (one memory access, no hashing; the
 * usual case), else in a hash map. Distance counts are 32-bit.
 * Cost: O(log M) per reference.
 */
import { KeyMap } from "../replacement/keymap.js";

const WORDS_PER_BLOCK = 8; // 256 times
const BLOCKS_PER_SUPER = 64; // 16,384 times
const SUPER = 32 * WORDS_PER_BLOCK * BLOCKS_PER_SUPER;
/**
 * Integer keys below this (page numbers of up to 16 GiB of 4 KiB pages) index a flat
 * array, as a page table would (at most 16 MiB); others go through a hash map.
 */
const NEAR_LIMIT = 1 << 22;
/** A previous reference at most this many times ago is measured by popcounts alone. */
const NEAR_GAP = 256;

export class LruStackDistance {
  /** Window size in times (a multiple of SUPER). */
  private window: number;
  private bits: Int32Array;
  private blocks: Int32Array;
  private supers: Int32Array;
  /** Fenwick tree over `supers` (1-based). */
  private tree: Int32Array;
  /** Page → time of its latest reference: `near[key]` for keys below NEAR_LIMIT, else `far`. */
  private near: Int32Array = new Int32Array(1 << 12).fill(-1);
  private readonly far = new KeyMap(1 << 12);
  private now = 0;
  private live = 0;
  /** hist[d] = references with stack distance d (d >= 1). */
  private hist: Uint32Array = new Uint32Array(1024);
  private maxSeen = 0;
  /** First references (infinite distance), and with a depth, references deeper than it. */
  cold = 0;
  references = 0;
  /** The deepest distance tracked exactly (Infinity: every distance). */
  readonly depth: number;
  /** With a depth: the page of each marked time, and the oldest time that may be marked. */
  private posKey: Float64Array | undefined;
  private oldest = 0;

  /**
   * `depth` bounds the stack: pages further down than `depth` are forgotten, so memory and
   * time follow `depth` instead of the distinct pages, and the curve is exact for every
   * size up to `depth` (a forgotten page's next reference misses at all those sizes).
   */
  constructor(initialWindow = 1 << 16, depth = Number.POSITIVE_INFINITY) {
    this.depth = depth >= 1 ? Math.floor(depth) : 1;
    if (Number.isFinite(depth)) initialWindow = Math.max(initialWindow, 4 * this.depth);
    this.window = Math.max(SUPER, Math.ceil(initialWindow / SUPER) * SUPER);
    this.bits = new Int32Array(this.window / 32);
    this.blocks = new Int32Array(this.window / (32 * WORDS_PER_BLOCK));
    this.supers = new Int32Array(this.window / SUPER);
    this.tree = new Int32Array(this.window / SUPER + 1);
    if (Number.isFinite(depth)) this.posKey = new Float64Array(this.window);
  }

  /** Distinct pages seen so far (without a depth; with one, the pages tracked). */
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
    const now = this.now;
    let near = this.near;
    let b = -1;
    let prev: number;
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) {
      if (key >= near.length) near = this.growNear(key);
      prev = near[key]!;
      near[key] = now;
    } else {
      b = this.far.find(key);
      prev = this.far.valueAt(b);
      if (prev >= 0) this.far.setAt(b, now);
      else this.far.insertAt(b, key, now);
    }
    let d = 0;
    if (prev >= 0) {
      // A recent previous reference: count the few marks since it directly.
      d = (now - prev <= NEAR_GAP ? this.countSince(prev) + 1 : this.countAfter(prev) + 1) | 0;
      this.flip(prev, -1);
      if (d >= this.hist.length) this.growHist(d);
      this.hist[d] = this.hist[d]! + 1;
      if (d > this.maxSeen) this.maxSeen = d;
    } else {
      this.cold++;
      this.live++;
    }
    this.flip(now, 1);
    const posKey = this.posKey;
    if (posKey !== undefined) {
      posKey[now] = key;
      if (this.live > this.depth) this.forgetOldest();
    }
    this.now = now + 1;
    this.references++;
    return d;
  }

  /** Drops the page at the bottom of the stack (its mark is the oldest). */
  private forgetOldest(): void {
    const bits = this.bits;
    let t = this.oldest;
    while (bits[t >>> 5] === 0) t = (t | 31) + 1;
    while ((bits[t >>> 5]! & (1 << (t & 31))) === 0) t++;
    this.flip(t, -1);
    const key = this.posKey![t]!;
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) this.near[key] = -1;
    else this.far.delete(key);
    this.live--;
    this.oldest = t + 1;
  }

  /** Misses of LRU with `frames` frames over the references so far (frames <= depth). */
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

  /** Number of marks at times after `t` (no mark lies at or after `now`): word popcounts. */
  private countSince(t: number): number {
    const bits = this.bits;
    const w = t >>> 5;
    const shift = (t & 31) + 1;
    let sum = shift === 32 ? 0 : popcount(bits[w]! & (-1 << shift));
    const last = (this.now - 1) >>> 5;
    for (let j = w + 1; j <= last; j++) sum += popcount(bits[j]!);
    return sum;
  }

  /** Number of marks at times after `t`, where `t` holds a mark. */
  private countAfter(t: number): number {
    return this.live - 1 - this.rank(t);
  }

  /** Number of marks at times before `t`. */
  private rank(t: number): number {
    const bits = this.bits;
    const w = t >>> 5;
    const b = Math.floor(w / WORDS_PER_BLOCK);
    const s = Math.floor(b / BLOCKS_PER_SUPER);
    // Super blocks before s: Fenwick prefix sum.
    let sum = 0;
    for (let i = s; i > 0; i -= i & -i) sum += this.tree[i]!;
    // Blocks of s before b, summed from whichever end of the super block is nearer.
    const blocks = this.blocks;
    const first = s * BLOCKS_PER_SUPER;
    if (b - first <= BLOCKS_PER_SUPER / 2) for (let k = first; k < b; k++) sum += blocks[k]!;
    else {
      let after = 0;
      for (let k = b; k < first + BLOCKS_PER_SUPER; k++) after += blocks[k]!;
      sum += this.supers[s]! - after;
    }
    // Words of b before w, then the bits below t in w.
    for (let j = b * WORDS_PER_BLOCK; j < w; j++) sum += popcount(bits[j]!);
    return sum + popcount(bits[w]! & ((1 << (t & 31)) - 1));
  }

  private flip(t: number, delta: number): void {
    const w = t >>> 5;
    this.bits[w] = this.bits[w]! ^ (1 << (t & 31));
    const b = Math.floor(w / WORDS_PER_BLOCK);
    this.blocks[b] = this.blocks[b]! + delta;
    const s = Math.floor(b / BLOCKS_PER_SUPER);
    this.supers[s] = this.supers[s]! + delta;
    const tree = this.tree;
    for (let i = s + 1; i < tree.length; i += i & -i) tree[i] = tree[i]! + delta;
  }

  /**
   * Renumbers the live marks 0..live-1 in time order (growing the window if over a
   * quarter full): each page's new time is its mark's rank, from block prefix sums and a
   * few popcounts; then the first `live` bits are set and the counts rebuilt.
   */
  private compact(): void {
    const bits = this.bits;
    const blocks = this.blocks;
    const oldKeys = this.posKey;
    if (oldKeys !== undefined) {
      // Keys move with their marks: the n-th set bit becomes time n.
      let n = 0;
      for (let w = 0; w < bits.length; w++) {
        let word = bits[w]!;
        while (word !== 0) {
          const bit = 31 - Math.clz32(word & -word);
          word &= word - 1;
          oldKeys[n++] = oldKeys[w * 32 + bit]!;
        }
      }
      this.oldest = 0;
    }
    const before = new Int32Array(blocks.length);
    for (let k = 1; k < blocks.length; k++) before[k] = before[k - 1]! + blocks[k - 1]!;
    const renumber = (t: number) => {
      const w = t >>> 5;
      let rank = before[Math.floor(w / WORDS_PER_BLOCK)]!;
      for (let j = Math.floor(w / WORDS_PER_BLOCK) * WORDS_PER_BLOCK; j < w; j++) rank += popcount(bits[j]!);
      return rank + popcount(bits[w]! & ((1 << (t & 31)) - 1));
    };
    this.far.mapValues(renumber);
    const near = this.near;
    for (let k = 0; k < near.length; k++) if (near[k]! >= 0) near[k] = renumber(near[k]!);
    while (this.live * 4 > this.window) this.window *= 2;
    const live = this.live;
    this.bits = new Int32Array(this.window / 32);
    this.blocks = new Int32Array(this.window / (32 * WORDS_PER_BLOCK));
    this.supers = new Int32Array(this.window / SUPER);
    this.tree = new Int32Array(this.window / SUPER + 1);
    if (oldKeys !== undefined && oldKeys.length < this.window) {
      this.posKey = new Float64Array(this.window);
      this.posKey.set(oldKeys.subarray(0, live));
    }
    this.bits.fill(-1, 0, live >>> 5);
    if ((live & 31) !== 0) this.bits[live >>> 5] = (1 << (live & 31)) - 1;
    for (let t = 0; t < live; t += 32) {
      const n = Math.min(32, live - t);
      const b = Math.floor(t / (32 * WORDS_PER_BLOCK));
      this.blocks[b] = this.blocks[b]! + n;
      this.supers[Math.floor(b / BLOCKS_PER_SUPER)] = this.supers[Math.floor(b / BLOCKS_PER_SUPER)]! + n;
    }
    const tree = this.tree;
    for (let i = 1; i < tree.length; i++) tree[i] = tree[i]! + this.supers[i - 1]!;
    for (let i = 1; i < tree.length; i++) {
      const j = i + (i & -i);
      if (j < tree.length) tree[j] = tree[j]! + tree[i]!;
    }
    this.now = live;
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

  private growHist(d: number): void {
    let n = this.hist.length;
    while (n <= d) n *= 2;
    const h = new Uint32Array(n);
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
