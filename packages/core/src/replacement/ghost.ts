/**
 * Ghost lists: the keys of recently evicted pages, without their data, oldest dropped
 * first (ARC's B1/B2, 2Q's A1out, S3-FIFO's G). A `GhostSet` holds one or more lists that
 * share a single hash map (key → list and ring cell), so a policy with two ghost lists
 * (ARC) learns with one probe whether, and where, an incoming page is remembered.
 * Each list keeps its keys in a ring in insertion order; removal deletes the key from the
 * map (backward-shift, no tombstones) and blanks its ring cell; dropping the oldest skips
 * blanks. A ring clogged with blanks is compacted in place, keeping the order. The map
 * holds exactly the remembered keys, at load at most one half, so it stays as small as
 * the lists (few cache and TLB misses). Cost: O(1) amortized per operation (one map probe
 * each, plus at most one map update per removal for the compaction); nothing allocated
 * after creation.
 */
import { KeyMap } from "./keymap.js";

/** Several bounded ghost FIFOs of distinct keys, one map; a key is in at most one list. */
export class GhostSet {
  /** Per list: the most keys held (pushing beyond drops that list's oldest). */
  private readonly limits: Int32Array;
  /** Per list: live keys. */
  private readonly sizes: Int32Array;
  /** Per list: insertion numbers of the oldest cell and the next cell to fill. */
  private readonly tails: Float64Array;
  private readonly heads: Float64Array;
  /** Per list: ring capacity (twice its limit) and the ring's offset in `ring`. */
  private readonly caps: Int32Array;
  private readonly bases: Int32Array;
  /** All rings back to back; a cell holds a key, or NaN when blank. */
  private readonly ring: Float64Array;
  private readonly lists: number;
  /** key → cell * lists + list, where cell is the absolute index in `ring`. */
  private readonly map: KeyMap;

  /**
   * One list per entry of `limits`. `expected`: the most keys the lists hold together when
   * the caller's invariants bound it below the sum of the limits (the map is sized for it,
   * and grows if ever exceeded).
   */
  constructor(limits: readonly number[], expected = Number.POSITIVE_INFINITY) {
    this.lists = limits.length;
    this.limits = new Int32Array(this.lists);
    this.sizes = new Int32Array(this.lists);
    this.tails = new Float64Array(this.lists);
    this.heads = new Float64Array(this.lists);
    this.caps = new Int32Array(this.lists);
    this.bases = new Int32Array(this.lists);
    let total = 0;
    let cells = 0;
    for (let l = 0; l < this.lists; l++) {
      const limit = Math.max(0, Math.floor(limits[l]!));
      this.limits[l] = limit;
      this.caps[l] = Math.max(2, 2 * limit);
      this.bases[l] = cells;
      cells += this.caps[l]!;
      total += limit;
    }
    this.ring = new Float64Array(cells).fill(Number.NaN);
    this.map = new KeyMap(Math.ceil(Math.min(total, expected) * 1.4) + 1);
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
    const cap = this.caps[list]!;
    // Full of cells (live and blank): squeeze the blanks out.
    if (this.heads[list]! - this.tails[list]! >= cap) this.compact(list);
    const seq = this.heads[list]!;
    this.heads[list] = seq + 1;
    const cell = this.bases[list]! + (seq % cap);
    this.ring[cell] = key;
    this.sizes[list] = this.sizes[list]! + 1;
    const map = this.map;
    map.insertAt(map.find(key), key, cell * this.lists + list);
  }

  /** Drops the oldest key of `list`; returns false when the list is empty. */
  popOldest(list: number): boolean {
    if (this.sizes[list]! === 0) return false;
    const ring = this.ring;
    const base = this.bases[list]!;
    const cap = this.caps[list]!;
    let tail = this.tails[list]!;
    let cell = base + (tail % cap);
    let key = ring[cell]!;
    while (Number.isNaN(key)) {
      tail++;
      cell = base + (tail % cap);
      key = ring[cell]!;
    }
    ring[cell] = Number.NaN;
    this.tails[list] = tail + 1;
    this.sizes[list] = this.sizes[list]! - 1;
    this.map.delete(key);
    return true;
  }

  /** Moves the live keys of `list` toward its tail, in order, updating their map cells. */
  private compact(list: number): void {
    const ring = this.ring;
    const map = this.map;
    const base = this.bases[list]!;
    const cap = this.caps[list]!;
    const head = this.heads[list]!;
    let w = this.tails[list]!;
    for (let r = w; r < head; r++) {
      const key = ring[base + (r % cap)]!;
      if (Number.isNaN(key)) continue;
      if (r !== w) {
        const cell = base + (w % cap);
        ring[cell] = key;
        ring[base + (r % cap)] = Number.NaN;
        map.setAt(map.find(key), cell * this.lists + list);
      }
      w++;
    }
    this.heads[list] = w;
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
