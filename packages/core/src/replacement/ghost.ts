/**
 * Ghost lists: the keys of recently evicted pages, without their data, oldest dropped
 * first (ARC's B1/B2, 2Q's A1out, S3-FIFO's G). A `GhostSet` holds one or more lists that
 * share a single hash map (key → list and ring cell), so a policy with two ghost lists
 * (ARC) learns with one probe whether, and where, an incoming page is remembered.
 * Each list keeps its keys in a ring in insertion order; removal deletes the key from the
 * map (backward-shift, no tombstones) and blanks its ring cell; dropping the oldest skips
 * blanks. A ring clogged with blanks is compacted in place, keeping the order. The map
 * (a `PageMap`: page numbers index a flat array) holds exactly the remembered keys.
 * Cost: O(1) amortized per operation (one map access each, plus at most one map update
 * per removal for the compaction); nothing allocated after creation except when the
 * map's flat array grows to cover a larger page number.
 */
import { PageMap } from "./page-map.js";

/** Several bounded ghost FIFOs of distinct keys, one map; a key is in at most one list. */
export class GhostSet {
  /** Per list: the most keys held (pushing beyond drops that list's oldest). */
  private readonly limits: Int32Array;
  /** Per list: live keys. */
  private readonly sizes: Int32Array;
  /** Per list: cells in use, live or blank, from the oldest to the newest. */
  private readonly used: Int32Array;
  /** Per list: the absolute ring index of its oldest cell and of the next cell to fill. */
  private readonly tails: Int32Array;
  private readonly heads: Int32Array;
  /** Per list: its ring's first index in `ring` and the index just past it. */
  private readonly bases: Int32Array;
  private readonly ends: Int32Array;
  /** All rings back to back (each twice its list's limit); a cell holds a key, or NaN. */
  private readonly ring: Float64Array;
  private readonly lists: number;
  /** key → cell * lists + list, where cell is the absolute index in `ring`. */
  private readonly map: PageMap;

  /**
   * One list per entry of `limits`. `expected`: the most keys the lists hold together when
   * the caller's invariants bound it below the sum of the limits (the hash part of the map,
   * for large keys, is sized for it, and grows if ever exceeded).
   */
  constructor(limits: readonly number[], expected = Number.POSITIVE_INFINITY) {
    const n = limits.length;
    this.lists = n;
    this.limits = new Int32Array(n);
    this.sizes = new Int32Array(n);
    this.used = new Int32Array(n);
    this.tails = new Int32Array(n);
    this.heads = new Int32Array(n);
    this.bases = new Int32Array(n);
    this.ends = new Int32Array(n);
    let total = 0;
    let cells = 0;
    for (let l = 0; l < n; l++) {
      const limit = Math.max(0, Math.floor(limits[l]!));
      this.limits[l] = limit;
      this.bases[l] = cells;
      this.tails[l] = cells;
      this.heads[l] = cells;
      cells += Math.max(2, 2 * limit);
      this.ends[l] = cells;
      total += limit;
    }
    this.ring = new Float64Array(cells).fill(Number.NaN);
    this.map = new PageMap(Math.min(total, expected, 1 << 16));
  }

  /** Keys remembered in `list`. */
  size(list: number): number {
    return this.sizes[list]!;
  }

  /** The list remembering `key`, or -1. */
  find(key: number): number {
    const v = this.map.get(key);
    return v < 0 ? -1 : v % this.lists;
  }

  /** Forgets `key`; returns the list that remembered it, or -1. */
  delete(key: number): number {
    const v = this.map.delete(key);
    if (v < 0) return -1;
    const list = v % this.lists;
    this.ring[(v - list) / this.lists] = Number.NaN;
    this.sizes[list] = this.sizes[list]! - 1;
    return list;
  }

  /**
   * Remembers `key` as the newest of `list` (dropping that list's oldest when full).
   * Precondition: `key` is in no list of this set.
   */
  push(list: number, key: number): void {
    const limit = this.limits[list]!;
    if (limit === 0) return;
    if (this.sizes[list]! >= limit) this.popOldest(list);
    // Full of cells (live and blank): squeeze the blanks out.
    if (this.used[list]! >= this.ends[list]! - this.bases[list]!) this.compact(list);
    const cell = this.heads[list]!;
    this.heads[list] = cell + 1 === this.ends[list]! ? this.bases[list]! : cell + 1;
    this.used[list] = this.used[list]! + 1;
    this.ring[cell] = key;
    this.sizes[list] = this.sizes[list]! + 1;
    this.map.set(key, cell * this.lists + list);
  }

  /** Drops the oldest key of `list`; returns false when the list is empty. */
  popOldest(list: number): boolean {
    if (this.sizes[list]! === 0) return false;
    const ring = this.ring;
    const base = this.bases[list]!;
    const end = this.ends[list]!;
    let cell = this.tails[list]!;
    let used = this.used[list]!;
    let key = ring[cell]!;
    while (Number.isNaN(key)) {
      if (++cell === end) cell = base;
      used--;
      key = ring[cell]!;
    }
    ring[cell] = Number.NaN;
    this.tails[list] = cell + 1 === end ? base : cell + 1;
    this.used[list] = used - 1;
    this.sizes[list] = this.sizes[list]! - 1;
    this.map.delete(key);
    return true;
  }

  /** Moves the live keys of `list` toward its oldest end, in order, updating their map cells. */
  private compact(list: number): void {
    const ring = this.ring;
    const map = this.map;
    const base = this.bases[list]!;
    const end = this.ends[list]!;
    let w = this.tails[list]!;
    let r = w;
    for (let n = this.used[list]!; n > 0; n--) {
      const key = ring[r]!;
      if (!Number.isNaN(key)) {
        if (r !== w) {
          ring[w] = key;
          ring[r] = Number.NaN;
          map.set(key, w * this.lists + list);
        }
        if (++w === end) w = base;
      }
      if (++r === end) r = base;
    }
    this.heads[list] = w;
    this.used[list] = this.sizes[list]!;
  }
}

/** One bounded ghost FIFO of distinct keys (a `GhostSet` with a single list). */
export class GhostList {
  /** The most keys held; pushing beyond drops the oldest. */
  readonly limit: number;
  private readonly set: GhostSet;

  constructor(limit: number) {
    this.limit = Math.max(0, Math.floor(limit));
    this.set = new GhostSet([this.limit]);
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
