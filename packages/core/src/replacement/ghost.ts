/**
 * Ghost lists: the keys of recently evicted pages, without their data, oldest dropped
 * first (ARC's B1/B2, 2Q's A1out, S3-FIFO's G). A `GhostSet` holds one or more lists that
 * share a single map (key → list and position), so a policy with two ghost lists (ARC)
 * learns with one probe whether, and where, an incoming page is remembered. The map (a
 * `PageMap`: page numbers index a flat array) can be the replacement engine's own index
 * (`SharedPageIndex`), with ghost codes stored at or above an offset, so the engine's
 * lookup of an incoming page already brought the ghost's entry into the cache.
 *
 * Each list numbers its pushes (a sequence number, kept modulo 2^k) and keeps its keys in
 * a ring indexed by that number, in insertion order; a list's live window is the numbers
 * from its oldest cell to its newest. A key's code names its list and number, so whether
 * it is still remembered is arithmetic: its number lies in the window. Dropping the
 * oldest therefore never touches the map for a page number (its entry goes stale, and
 * reads as absent); only large keys, which live in a hash map, are deleted at once so it
 * stays small. Removal of a remembered key deletes its entry and blanks its ring cell;
 * dropping the oldest skips blanks; a ring clogged with blanks is compacted in place,
 * renumbering its keys in order. Before the numbers wrap (every 2^(k-1) pushes), one
 * sweep deletes the stale entries of the flat array.
 * Cost: O(1) amortized per operation: one map access for find/push/delete, none for
 * dropping the oldest, one per key moved by a compaction; nothing allocated after creation
 * except when the map's flat array grows to cover a larger page number.
 */
import { invariant } from "../base/errors.js";
import { PageMap } from "./page-map.js";

/** Where a `GhostSet` keeps its codes when it shares a map (see `SharedPageIndex`). */
export interface GhostMapOptions {
  /** The map to share; codes below `offset` in it belong to its owner. */
  readonly map?: PageMap;
  readonly offset?: number;
  /** Bits of the sequence numbers (default: as many as the codes allow); for tests. */
  readonly seqBits?: number;
}

const BLANK = Number.NaN;

/** Several bounded ghost FIFOs of distinct keys, one map; a key is in at most one list. */
export class GhostSet {
  /** Per list: the most keys held (pushing beyond drops that list's oldest). */
  private readonly limits: Int32Array;
  /** Per list: live keys. */
  private readonly sizes: Int32Array;
  /** Per list: the sequence numbers of its oldest cell and of the next push (unbounded). */
  private readonly tails: Float64Array;
  private readonly heads: Float64Array;
  /** Per list: its ring's first index in `ring`, and its size minus one (a power of two). */
  private readonly bases: Int32Array;
  private readonly ringMasks: Int32Array;
  /** All rings back to back; cell `bases[l] + (seq & ringMasks[l])` holds a key, or NaN. */
  private readonly ring: Float64Array;
  /** Bits of a code that name the list, and their mask. */
  private readonly listBits: number;
  private readonly listMask: number;
  /** Sequence numbers are kept modulo 2^k: this mask is 2^k - 1. */
  private readonly seqMask: number;
  /** Pushes (over all lists) until the next sweep of stale entries. */
  private untilSweep: number;
  private readonly sweepEvery: number;
  /** key → offset + ((seq & seqMask) << listBits | list). */
  private readonly map: PageMap;
  private readonly offset: number;

  /**
   * One list per entry of `limits`. `expected`: the most keys the lists hold together when
   * the caller's invariants bound it below the sum of the limits (the hash part of the map,
   * for large keys, is sized for it, and grows if ever exceeded). `options.map`: keep the
   * codes in that map, at or above `options.offset`, instead of a new one.
   */
  constructor(limits: readonly number[], expected = Number.POSITIVE_INFINITY, options: GhostMapOptions = {}) {
    const n = limits.length;
    this.listBits = n <= 1 ? 0 : 32 - Math.clz32(n - 1);
    this.listMask = (1 << this.listBits) - 1;
    this.limits = new Int32Array(n);
    this.sizes = new Int32Array(n);
    this.tails = new Float64Array(n);
    this.heads = new Float64Array(n);
    this.bases = new Int32Array(n);
    this.ringMasks = new Int32Array(n);
    let total = 0;
    let cells = 0;
    let biggest = 2;
    for (let l = 0; l < n; l++) {
      const limit = Math.max(0, Math.floor(limits[l]!));
      this.limits[l] = limit;
      let size = 2;
      while (size < 2 * limit) size *= 2;
      this.bases[l] = cells;
      this.ringMasks[l] = size - 1;
      cells += size;
      total += limit;
      biggest = Math.max(biggest, size);
    }
    this.ring = new Float64Array(cells).fill(BLANK);
    this.map = options.map ?? new PageMap(Math.min(total, expected, 1 << 16));
    this.offset = options.offset ?? 0;
    // Codes must stay below 2^31: offset + 2^(k + listBits).
    const room = Math.floor(Math.log2(2 ** 31 - this.offset)) - this.listBits;
    const k = Math.min(options.seqBits ?? room, room);
    invariant(
      k >= 2 && 4 * biggest <= 2 ** k,
      "ghost-codes",
      "GhostSet: too many ghosts for the sequence numbers",
    );
    this.seqMask = 2 ** k - 1;
    this.sweepEvery = 2 ** (k - 1) - biggest;
    this.untilSweep = this.sweepEvery;
  }

  /** Keys remembered in `list`. */
  size(list: number): number {
    return this.sizes[list]!;
  }

  /** The list remembering `key`, or -1. */
  find(key: number): number {
    return this.live(this.map.get(key) - this.offset);
  }

  /** Forgets `key`; returns the list that remembered it, or -1. */
  delete(key: number): number {
    const map = this.map;
    const code = map.get(key);
    const v = code - this.offset;
    const list = this.live(v);
    if (list < 0) return -1;
    map.deleteIf(key, code);
    this.ring[this.cell(list, v >> this.listBits)] = BLANK;
    this.sizes[list] = this.sizes[list]! - 1;
    return list;
  }

  /**
   * Remembers `key` as the newest of `list` (dropping that list's oldest when full). The
   * key's entry in the map is overwritten (deleted for a list of limit 0), so an owner
   * sharing the map need not unindex the key first.
   * Precondition: `key` is in no list of this set.
   */
  push(list: number, key: number): void {
    const limit = this.limits[list]!;
    if (limit === 0) {
      // Nothing is remembered; whatever entry the key had in the map is gone too.
      this.map.forget(key);
      return;
    }
    if (this.sizes[list]! >= limit) this.popOldest(list);
    // Full of cells (live and blank): squeeze the blanks out.
    if (this.heads[list]! - this.tails[list]! > this.ringMasks[list]!) this.compact(list);
    const seq = this.heads[list]!;
    this.heads[list] = seq + 1;
    this.ring[this.cell(list, seq)] = key;
    this.sizes[list] = this.sizes[list]! + 1;
    this.map.set(key, this.code(seq, list));
    if (--this.untilSweep === 0) this.sweep();
  }

  /** Drops the oldest key of `list`; returns false when the list is empty. */
  popOldest(list: number): boolean {
    if (this.sizes[list]! === 0) return false;
    const ring = this.ring;
    let seq = this.tails[list]!;
    let cell = this.cell(list, seq);
    let key = ring[cell]!;
    while (Number.isNaN(key)) {
      cell = this.cell(list, ++seq);
      key = ring[cell]!;
    }
    ring[cell] = BLANK;
    this.tails[list] = seq + 1;
    this.sizes[list] = this.sizes[list]! - 1;
    // Its entry now reads as absent; a large key's is deleted so the hash map stays small.
    this.map.release(key, this.code(seq, list));
    return true;
  }

  /** The list of the code's owner when the code (minus the offset) `v` is live, else -1. */
  private live(v: number): number {
    if (v < 0) return -1;
    const list = v & this.listMask;
    const seq = v >> this.listBits;
    const tail = this.tails[list]!;
    return ((seq - tail) & this.seqMask) < this.heads[list]! - tail ? list : -1;
  }

  private cell(list: number, seq: number): number {
    return this.bases[list]! + (seq & this.ringMasks[list]!);
  }

  private code(seq: number, list: number): number {
    return this.offset + (((seq & this.seqMask) << this.listBits) | list);
  }

  /** Renumbers the live keys of `list` from its oldest cell on, in order. */
  private compact(list: number): void {
    const ring = this.ring;
    const map = this.map;
    const tail = this.tails[list]!;
    const head = this.heads[list]!;
    let w = tail;
    for (let r = tail; r < head; r++) {
      const cell = this.cell(list, r);
      const key = ring[cell]!;
      if (Number.isNaN(key)) continue;
      if (r !== w) {
        ring[this.cell(list, w)] = key;
        ring[cell] = BLANK;
        map.set(key, this.code(w, list));
      }
      w++;
    }
    this.heads[list] = w;
  }

  /** Deletes every stale code of this set from the map's flat array (before numbers wrap). */
  private sweep(): void {
    this.untilSweep = this.sweepEvery;
    const offset = this.offset;
    this.map.deleteNearWhere((code) => code >= offset && this.live(code - offset) < 0);
  }
}

/** One bounded ghost FIFO of distinct keys (a `GhostSet` with a single list). */
export class GhostList {
  /** The most keys held; pushing beyond drops the oldest. */
  readonly limit: number;
  private readonly set: GhostSet;

  /** `options`: as for `GhostSet`. */
  constructor(limit: number, options: GhostMapOptions = {}) {
    this.limit = Math.max(0, Math.floor(limit));
    this.set = new GhostSet([this.limit], Number.POSITIVE_INFINITY, options);
  }

  get size(): number {
    return this.set.size(0);
  }

  /** True when `key` is remembered. */
  has(key: number): boolean {
    return this.set.find(key) >= 0;
  }

  /** Forgets `key`; returns whether it was remembered. */
  delete(key: number): boolean {
    return this.set.delete(key) >= 0;
  }

  /** Remembers `key` as the newest (dropping the oldest when full). Precondition: absent. */
  push(key: number): void {
    this.set.push(0, key);
  }

  /** Drops the oldest key; returns false when empty. */
  popOldest(): boolean {
    return this.set.popOldest(0);
  }
}
