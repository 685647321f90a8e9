/**
 * A map from page keys to non-negative int32 values that indexes small integer keys
 * directly, as a page table does: key k < NEAR_LIMIT lives at `near[k]` (the array grows
 * by doubling to cover the largest such key seen, at most 16 MiB), so a lookup, insertion
 * or removal is one array access with no hashing or probing. Other keys (beyond 2^22, or
 * not integers) go to a `KeyMap`. Suits maps probed on every miss whose keys are page
 * numbers of one address space.
 * Cost: O(1) per operation; allocates only when the near array grows.
 */
import { KeyMap } from "./keymap.js";

const EMPTY = -1;
/** Keys below this index the flat array. */
const NEAR_LIMIT = 1 << 22;

export class PageMap {
  private near: Int32Array | Int16Array;
  private readonly far: KeyMap;
  /** The flat array holds 16-bit entries (see the constructor). */
  private readonly narrow: boolean;

  /**
   * `expected`: entries expected among the large keys (sizes the hash map). `narrow`: the
   * caller stores only values below 2^15 (a larger one would wrap): the flat array then
   * takes 2 bytes per page instead of 4, so twice as many entries fit in each cache level
   * and each page of address translations (a million pages: 2 MiB instead of 4 MiB).
   */
  constructor(expected = 16, narrow = false) {
    this.far = new KeyMap(expected);
    this.narrow = narrow;
    this.near = narrow ? new Int16Array(1 << 12).fill(EMPTY) : new Int32Array(1 << 12).fill(EMPTY);
  }

  /** Entries held, stale ones left by `release` included. O(flat array length): for inspection. */
  get size(): number {
    let n = 0;
    for (const v of this.near) if (v !== EMPTY) n++;
    return n + this.far.size;
  }

  /** The value stored for `key`, or -1 when absent. */
  get(key: number): number {
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) {
      const near = this.near;
      return key < near.length ? near[key]! : EMPTY;
    }
    return this.far.get(key);
  }

  /**
   * Reads the entries of `keys[from..to)` and returns a small number made of them that
   * means nothing: a tight loop of independent loads, which the processor overlaps, so the
   * entries of a batch come into the cache together before the batch is processed one by
   * one. (Exclusive-or keeps the result a small integer: no overflow for the compiler to
   * check.)
   */
  warm(keys: Float64Array, from: number, to: number): number {
    const near = this.near;
    const n = near.length;
    let mix = 0;
    for (let i = from; i < to; i++) {
      const k = keys[i]!;
      if (k >= 0 && k < n) mix ^= near[k | 0]!;
    }
    return mix & 0xff;
  }

  /** Stores `value` (>= 0) for `key`, replacing any previous value. */
  set(key: number, value: number): void {
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) {
      let near = this.near;
      if (key >= near.length) near = this.grow(key);
      near[key] = value;
    } else this.far.set(key, value);
  }

  /** Removes `key`; returns its value, or -1 when it was absent. */
  delete(key: number): number {
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) {
      const near = this.near;
      if (key >= near.length) return EMPTY;
      const v = near[key]!;
      near[key] = EMPTY;
      return v;
    }
    return this.far.delete(key);
  }

  /** Removes `key` whatever it maps to; a small key's entry is written without being read. */
  forget(key: number): void {
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) {
      const near = this.near;
      if (key < near.length) near[key] = EMPTY;
    } else this.far.delete(key);
  }

  /** Removes `key` only when it maps to `value`; returns whether it did. */
  deleteIf(key: number, value: number): boolean {
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) {
      const near = this.near;
      if (key >= near.length || near[key]! !== value) return false;
      near[key] = EMPTY;
      return true;
    }
    if (this.far.get(key) !== value) return false;
    this.far.delete(key);
    return true;
  }

  /**
   * The caller no longer needs `key` → `value`: a large key's entry is deleted (if it
   * still holds `value`) so the hash map stays small; a small key's entry may remain in the
   * flat array, stale, so a caller that releases must recognise stale values it reads.
   */
  release(key: number, value: number): void {
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) return;
    if (this.far.get(key) === value) this.far.delete(key);
  }

  /** Deletes the entries of the flat array (small keys) whose value satisfies `stale`. */
  deleteNearWhere(stale: (value: number) => boolean): void {
    const near = this.near;
    for (let k = 0; k < near.length; k++) {
      const v = near[k]!;
      if (v !== EMPTY && stale(v)) near[k] = EMPTY;
    }
  }

  private grow(key: number): Int32Array | Int16Array {
    let n = this.near.length;
    while (n <= key) n *= 2;
    const near = this.narrow ? new Int16Array(n).fill(EMPTY) : new Int32Array(n).fill(EMPTY);
    near.set(this.near);
    this.near = near;
    return near;
  }
}
