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
 * previous one. Counts are kept at three levels: bits, 256-time blocks, and 4,096-time
 * super blocks; the super blocks before the one being filled ("closed") also sit in a
 * Fenwick tree (Fenwick 1994), entered once when they close. A query counts the marks
 * after the previous reference inside its block and super block (from whichever end is
 * nearer: at most 4 word popcounts and 8 block counts), then the closed super blocks
 * after it as the live marks minus a Fenwick prefix sum; a previous reference in the open
 * super block needs no tree at all. A move clears one mark (a Fenwick update only when it
 * lies in a closed super block) and sets one at the present time (three increments),
 * all on small cache-resident arrays. References are taken in batches: the pages' latest times
 * are looked up for a whole batch first (independent loads the processor overlaps), then
 * the distances are counted, then tallied. The bit set covers a window of times that is
 * compacted (marks renumbered by rank) when full, so memory stays O(M) for M distinct
 * pages and no time → page table is kept. The pages' latest times are a `LatestTimes`
 * (latest-times.ts); `pushPrevious` takes the previous times from elsewhere instead (a
 * `PreviousTimes` in another thread), leaving this object the counting alone. The
 * histogram of distances keeps a byte per distance and a 32-bit count of its wraps, so
 * the part touched on every reference stays small.
 * With a bounded depth, the oldest mark is dropped whenever more than `depth` pages are
 * tracked, inside the same batches: a later reference whose previous time falls before
 * the oldest kept one is to a dropped page, and counts as a first reference.
 * Cost: O(log M) per reference.
 */
import { firstWindow, LatestTimes, LOG_WINDOW_STEP, nextWindow, rankOf } from "./latest-times.js";
import { popcount } from "./popcount.js";

const LOG_BLOCK = 8; // 256 times, 8 words
const LOG_SUPER = LOG_WINDOW_STEP; // 4,096 times, 16 blocks
const WORDS_PER_BLOCK = 1 << (LOG_BLOCK - 5);
const BLOCKS_PER_SUPER = 1 << (LOG_SUPER - LOG_BLOCK);
/** A previous reference at most this many times ago is measured by popcounts alone. */
const NEAR_GAP = 128;
/** References per batch. */
const BATCH = 512;

export class LruStackDistance {
  /** Window size in times (a multiple of the super block). */
  private window: number;
  private bits: Int32Array;
  private blocks: Int32Array;
  private supers: Int32Array;
  /** Fenwick tree over the closed super blocks (1-based). */
  private tree: Int32Array;
  /** The super block being filled; those before it are closed (in the tree). */
  private open = 0;
  /** Page → time of its latest reference (unused when previous times come from `pushPrevious`). */
  private readonly times = new LatestTimes();
  /** How references came in: "keys" (`push`, `reference`) or "previous" (`pushPrevious`). */
  private source: "keys" | "previous" | undefined;
  private now = 0;
  private live = 0;
  /**
   * The histogram: references with stack distance d (d >= 1; d = 0 counts first
   * references) number 256 × high[d] + low[d]. Only the byte array is touched on most
   * references, so the histogram takes a quarter of the cache.
   */
  private low: Uint8Array = new Uint8Array(1024);
  private high: Uint32Array = new Uint32Array(1024);
  /** A batch's previous times, then its distances (0 for a first reference). */
  private readonly batch = new Int32Array(BATCH);
  /** One key, for `reference`. */
  private readonly one = new Float64Array(1);
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
    this.window = firstWindow(initialWindow);
    this.bits = new Int32Array(this.window / 32);
    this.blocks = new Int32Array(this.window >>> LOG_BLOCK);
    this.supers = new Int32Array(this.window >>> LOG_SUPER);
    this.tree = new Int32Array((this.window >>> LOG_SUPER) + 1);
    if (Number.isFinite(depth)) this.posKey = new Float64Array(this.window);
  }

  /** Distinct pages seen so far (without a depth; with one, the pages tracked). */
  get distinct(): number {
    return this.live;
  }

  /** First references (infinite distance), and with a depth, references deeper than it. */
  get cold(): number {
    return this.count(0);
  }

  /** Processes `count` references. */
  push(keys: Float64Array, count: number): void {
    this.takeFrom("keys");
    for (let i = 0; i < count; ) {
      if (this.now === this.window) this.compact();
      const n = Math.min(count - i, this.window - this.now, BATCH);
      this.times.swap(keys, i, n, this.now, this.batch, 0);
      if (this.posKey !== undefined) this.posKey.set(keys.subarray(i, i + n), this.now);
      this.measure(this.batch, 0, n);
      this.tally(n);
      i += n;
    }
    this.references += count;
  }

  /**
   * Processes `count` references given by their previous times (`prev[0..count)`, -1 for
   * a first reference) as a `PreviousTimes` made with this object's initial window wrote
   * them: the lookups done elsewhere, in another thread for instance. Only without a depth,
   * and for a whole pass: this object's own table does not see these references, so
   * mixing it with `push` or `reference` throws.
   */
  pushPrevious(prev: Int32Array, count: number): void {
    if (this.posKey !== undefined) throw new RangeError("pushPrevious needs an unbounded stack");
    this.takeFrom("previous");
    for (let i = 0; i < count; ) {
      if (this.now === this.window) this.compact();
      const n = Math.min(count - i, this.window - this.now, BATCH);
      this.measure(prev, i, n);
      this.tally(n);
      i += n;
    }
    this.references += count;
  }

  /** Processes one reference; returns its stack distance (+Infinity for a first reference). */
  reference(key: number): number {
    const d = this.distance(key);
    return d === 0 ? Number.POSITIVE_INFINITY : d;
  }

  /**
   * Turns previous times src[from..from+n) into stack distances in the batch (0 for a
   * first reference), moving each page's mark to its new time.
   */
  private measure(src: Int32Array, from: number, n: number): void {
    const batch = this.batch;
    const bits = this.bits;
    const blocks = this.blocks;
    const supers = this.supers;
    const tree = this.tree;
    const depth = this.depth;
    let now = this.now;
    let live = this.live;
    let open = this.open;
    let oldest = this.oldest;
    for (let j = 0; j < n; j++, now++) {
      if (now >>> LOG_SUPER !== open) open = this.close(open, now >>> LOG_SUPER);
      const prev = src[from + j]!;
      let d = 0;
      // A time before `oldest` is a page forgotten at the bounded depth: a first reference again.
      if (prev >= oldest) {
        const w = prev >>> 5;
        const bit = 1 << (prev & 31);
        if (now - prev <= NEAR_GAP) {
          // Marks after prev: the rest of its word and the few words up to now.
          d = popcount(bits[w]! & (-2 << (prev & 31)));
          const last = (now - 1) >>> 5;
          for (let k = w + 1; k <= last; k++) d += popcount(bits[k]!);
        } else d = this.after(prev, live, open);
        d++;
        bits[w] = bits[w]! ^ bit;
        blocks[prev >>> LOG_BLOCK]!--;
        const s = prev >>> LOG_SUPER;
        supers[s]!--;
        if (s !== open) for (let i = s + 1; i < tree.length; i += i & -i) tree[i]!--;
      } else live++;
      batch[j] = d;
      bits[now >>> 5] = bits[now >>> 5]! | (1 << (now & 31));
      blocks[now >>> LOG_BLOCK]!++;
      supers[open]!++;
      if (live > depth) {
        oldest = this.forgetOldest(oldest, open);
        live--;
      }
    }
    this.now = now;
    this.live = live;
    this.open = open;
    this.oldest = oldest;
  }

  /** Enters super blocks open..to-1 into the tree; returns `to`, the new open one. */
  private close(open: number, to: number): number {
    const tree = this.tree;
    for (; open < to; open++) {
      const c = this.supers[open]!;
      for (let i = open + 1; i < tree.length; i += i & -i) tree[i] = tree[i]! + c;
    }
    return to;
  }

  /**
   * Number of marks after `t` (which holds a mark), with `live` marks in all and super
   * block `open` being filled: inside its
   * block and super block counted from the nearer end, then the closed super blocks
   * after it as `live` minus a prefix sum.
   */
  private after(t: number, live: number, open: number): number {
    const bits = this.bits;
    const blocks = this.blocks;
    const w = t >>> 5;
    const b = t >>> LOG_BLOCK;
    const s = t >>> LOG_SUPER;
    // Marks of b after t.
    let inBlock: number;
    const wordEnd = (b + 1) * WORDS_PER_BLOCK;
    if (wordEnd - w <= WORDS_PER_BLOCK / 2) {
      inBlock = popcount(bits[w]! & (-2 << (t & 31)));
      for (let k = w + 1; k < wordEnd; k++) inBlock += popcount(bits[k]!);
    } else {
      inBlock = blocks[b]! - popcount(bits[w]! & ~(-2 << (t & 31)));
      for (let k = b * WORDS_PER_BLOCK; k < w; k++) inBlock -= popcount(bits[k]!);
    }
    // Marks of s after b.
    let inSuper = 0;
    const blockEnd = (s + 1) * BLOCKS_PER_SUPER;
    if (blockEnd - b <= BLOCKS_PER_SUPER / 2) for (let k = b + 1; k < blockEnd; k++) inSuper += blocks[k]!;
    else {
      inSuper = this.supers[s]!;
      for (let k = s * BLOCKS_PER_SUPER; k <= b; k++) inSuper -= blocks[k]!;
    }
    if (s === open) return inBlock + inSuper;
    // Closed super blocks after s, and the open one: all marks minus those of 0..s.
    let upTo = 0;
    const tree = this.tree;
    for (let i = s + 1; i > 0; i -= i & -i) upTo += tree[i]!;
    return inBlock + inSuper + live - upTo;
  }

  /** Adds the batch's distances to the histogram. */
  private tally(n: number): void {
    const batch = this.batch;
    if (this.live + 1 >= this.low.length) this.growHist(this.live);
    const low = this.low;
    for (let j = 0; j < n; j++) {
      const d = batch[j]!;
      const c = (low[d]! + 1) & 255;
      low[d] = c;
      if (c === 0) this.high[d]!++;
    }
  }

  /** References with stack distance `d` (0: first references). */
  private count(d: number): number {
    return this.high[d]! * 256 + this.low[d]!;
  }

  /** Notes where references come from; throws if the pass has taken them the other way. */
  private takeFrom(source: "keys" | "previous"): void {
    if (this.source === source) return;
    if (this.source !== undefined)
      throw new RangeError(
        "LruStackDistance: one pass takes keys (push, reference) or previous times (pushPrevious), not both",
      );
    this.source = source;
  }

  /** Processes one reference; returns its stack distance, 0 for a first reference. */
  private distance(key: number): number {
    this.takeFrom("keys");
    if (this.now === this.window) this.compact();
    this.one[0] = key;
    this.times.swap(this.one, 0, 1, this.now, this.batch, 0);
    if (this.posKey !== undefined) this.posKey[this.now] = key;
    this.measure(this.batch, 0, 1);
    this.tally(1);
    this.references++;
    return this.batch[0]!;
  }

  /**
   * Drops the page at the bottom of the stack: the first mark from `oldest` on, with super
   * block `open` being filled; returns the new oldest time that may be marked. The page's
   * entry is cleared only if it still holds that time (a batch may already have given the
   * page a later one).
   */
  private forgetOldest(oldest: number, open: number): number {
    const bits = this.bits;
    let t = oldest;
    while (bits[t >>> 5] === 0) t = (t | 31) + 1;
    while ((bits[t >>> 5]! & (1 << (t & 31))) === 0) t++;
    bits[t >>> 5] = bits[t >>> 5]! ^ (1 << (t & 31));
    this.blocks[t >>> LOG_BLOCK]!--;
    const s = t >>> LOG_SUPER;
    this.supers[s]!--;
    const tree = this.tree;
    if (s !== open) for (let i = s + 1; i < tree.length; i += i & -i) tree[i]!--;
    this.times.forget(this.posKey![t]!, t);
    return t + 1;
  }

  /** Misses of LRU with `frames` frames over the references so far (frames <= depth). */
  misses(frames: number): number {
    let m = this.cold;
    for (let d = Math.max(1, Math.floor(frames) + 1); d < this.low.length; d++) m += this.count(d);
    return m;
  }

  /** Misses for every size 0..maxFrames (index = frames), in one backward sum. */
  missCurve(maxFrames: number): Float64Array {
    const n = this.low.length;
    const out = new Float64Array(maxFrames + 1);
    let beyond = this.cold;
    for (let d = n - 1; d > maxFrames; d--) beyond += this.count(d);
    out[maxFrames] = beyond;
    for (let c = maxFrames - 1; c >= 0; c--) out[c] = out[c + 1]! + (c + 1 < n ? this.count(c + 1) : 0);
    return out;
  }

  /**
   * Renumbers the live marks 0..live-1 in time order (growing the window if over a
   * quarter full): each page's new time is its mark's rank, from block prefix sums and a
   * few popcounts; then the first `live` bits are set and the counts rebuilt.
   */
  private compact(): void {
    const bits = this.bits;
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
    // A mark's rank is a per-word prefix count and a popcount.
    this.times.renumber(rankOf(bits));
    this.window = nextWindow(this.live, this.window);
    const live = this.live;
    this.bits = new Int32Array(this.window / 32);
    this.blocks = new Int32Array(this.window >>> LOG_BLOCK);
    this.supers = new Int32Array(this.window >>> LOG_SUPER);
    this.tree = new Int32Array((this.window >>> LOG_SUPER) + 1);
    if (oldKeys !== undefined && oldKeys.length < this.window) {
      this.posKey = new Float64Array(this.window);
      this.posKey.set(oldKeys.subarray(0, live));
    }
    this.bits.fill(-1, 0, live >>> 5);
    if ((live & 31) !== 0) this.bits[live >>> 5] = (1 << (live & 31)) - 1;
    for (let t = 0; t < live; t += 32) {
      const n = Math.min(32, live - t);
      this.blocks[t >>> LOG_BLOCK]! += n;
      this.supers[t >>> LOG_SUPER]! += n;
    }
    // Super blocks before the one holding time `live` are full and closed.
    this.open = live >>> LOG_SUPER;
    const tree = this.tree;
    for (let i = 1; i <= this.open; i++) tree[i] = tree[i]! + this.supers[i - 1]!;
    for (let i = 1; i < tree.length; i++) {
      const j = i + (i & -i);
      if (j < tree.length) tree[j] = tree[j]! + tree[i]!;
    }
    this.now = live;
  }

  /** Widens the histogram to cover distances up to `d`. */
  private growHist(d: number): void {
    let n = this.low.length;
    while (n <= d) n *= 2;
    const low = new Uint8Array(n);
    low.set(this.low);
    this.low = low;
    const high = new Uint32Array(n);
    high.set(this.high);
    this.high = high;
  }
}
