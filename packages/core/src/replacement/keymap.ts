/**
 * An open-addressing hash map from page keys (non-negative integers below 2^53) to int32
 * values, in typed arrays: linear probing and backward-shift deletion (Knuth, TAOCP vol. 3,
 * 6.4, algorithm R), so there are no tombstones and a probe never walks further than the
 * cluster it hashes into. Keys below 2^31 (nearly every page number) live in 8-byte
 * buckets (int32 key, int32 value) at load at most 0.7, so big maps stay small for the
 * caches and the TLB; larger keys go to a second map with 16-byte buckets.
 * Allocates nothing per operation (except when growing). Cost: O(1) expected per operation.
 */
import { invariant } from "../base/errors.js";

const EMPTY = -1;
const TWO_32 = 4294967296;

/** Fibonacci hash of a key; mixes the bits above 2^32 in so large keys spread too. */
export function hashKey(key: number, shift: number): number {
  const lo = key | 0;
  // The division only for keys of 2^32 and above (rare): it is slow and in the critical path.
  const hi = key < TWO_32 ? 0 : (key / TWO_32) | 0;
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> shift;
}

/** The general map for any key below 2^53 (16-byte buckets); `KeyMap` uses it for large keys. */
class WideKeyMap {
  /**
   * Bucket b is 16 bytes: the key as float64 at table[2b] and the value as int32 at
   * vals[4b+2] (EMPTY for a free bucket), so one probe touches one cache line and values
   * stay small integers for the callers' array indexing. Values must be >= 0.
   */
  private table: Float64Array;
  /** The same memory as `table`, viewed as int32: bucket b's value is `vals[4b+2]`. */
  private vals: Int32Array;
  private mask: number;
  private shift: number;
  private count = 0;
  /** The most entries this map holds without growing; it grows (rehashes) beyond. */
  private limit: number;

  /** A map sized for `expected` entries (it grows if more are added). */
  constructor(expected: number) {
    let size = 16;
    while (size < (expected + 1) * 2) size *= 2;
    this.table = new Float64Array(size * 2);
    this.vals = new Int32Array(this.table.buffer).fill(EMPTY);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.limit = size >>> 1;
  }

  get size(): number {
    return this.count;
  }

  /**
   * The bucket holding `key`, or the free bucket where it would go. Use with `valueAt`
   * and `insertAt`; valid until the next insertion or deletion.
   */
  find(key: number): number {
    const t = this.table;
    const vals = this.vals;
    const mask = this.mask;
    let i = hashKey(key, this.shift);
    for (;;) {
      const v = vals[4 * i + 2]!;
      if (v === EMPTY || t[2 * i] === key) return i;
      i = (i + 1) & mask;
    }
  }

  /** The value in bucket `b` from `find`, or -1 when the bucket is free. */
  valueAt(b: number): number {
    return this.vals[4 * b + 2]!;
  }

  /** Replaces the value in the occupied bucket `b` just returned by `find`. */
  setAt(b: number, value: number): void {
    this.vals[4 * b + 2] = value;
  }

  /** Stores `key` → `value` in the free bucket `b` just returned by `find(key)`. */
  insertAt(b: number, key: number, value: number): void {
    this.table[2 * b] = key;
    this.vals[4 * b + 2] = value;
    if (++this.count > this.limit) this.grow();
  }

  /** The value stored for `key`, or -1 when absent. */
  get(key: number): number {
    return this.vals[4 * this.find(key) + 2]!;
  }

  /** Stores `value` (>= 0) for `key`, replacing any previous value. */
  set(key: number, value: number): void {
    const b = this.find(key);
    if (this.vals[4 * b + 2]! !== EMPTY) this.vals[4 * b + 2] = value;
    else this.insertAt(b, key, value);
  }

  /** Removes `key`; returns its value, or -1 when it was absent. */
  delete(key: number): number {
    const t = this.table;
    const vals = this.vals;
    const mask = this.mask;
    const shift = this.shift;
    const i = this.find(key);
    const found = vals[4 * i + 2]!;
    if (found === EMPTY) return EMPTY;
    // Backward shift: pull later members of the cluster into the hole when their home
    // bucket lies cyclically at or before the hole.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const v = vals[4 * j + 2]!;
      if (v === EMPTY) break;
      const k = t[2 * j]!;
      const home = hashKey(k, shift);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        t[2 * hole] = k;
        vals[4 * hole + 2] = v;
        hole = j;
      }
    }
    vals[4 * hole + 2] = EMPTY;
    this.count--;
    return found;
  }

  /** Removes every entry. */
  clear(): void {
    this.vals.fill(EMPTY);
    this.count = 0;
  }

  /** Replaces every value v by `fn(v)` (>= 0), in place. */
  mapValues(fn: (value: number) => number): void {
    const vals = this.vals;
    for (let b = 0; b < vals.length / 4; b++)
      if (vals[4 * b + 2]! !== EMPTY) vals[4 * b + 2] = fn(vals[4 * b + 2]!);
  }

  /** Calls `fn` for every entry (in bucket order). */
  forEach(fn: (key: number, value: number) => void): void {
    const t = this.table;
    const vals = this.vals;
    for (let b = 0; b < t.length / 2; b++) if (vals[4 * b + 2]! !== EMPTY) fn(t[2 * b]!, vals[4 * b + 2]!);
  }

  private grow(): void {
    const old = this.table;
    const oldVals = this.vals;
    const size = old.length; // doubles the bucket count
    invariant(size <= 1 << 28, "keymap-size", "KeyMap.grow: more than 2^27 entries");
    this.table = new Float64Array(size * 2);
    this.vals = new Int32Array(this.table.buffer).fill(EMPTY);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.limit = size >>> 1;
    this.count = 0;
    for (let b = 0; b < old.length / 2; b++)
      if (oldVals[4 * b + 2]! !== EMPTY) this.set(old[2 * b]!, oldVals[4 * b + 2]!);
  }
}

const INT_LIMIT = 2147483647;

export class KeyMap {
  /** Bucket b: key at t[2b] (-1 when free), value at t[2b+1] (-1 when free). */
  private t: Int32Array;
  private mask: number;
  private shift: number;
  private count = 0;
  private limit: number;
  private wide: WideKeyMap | undefined;

  /** A map sized for `expected` entries (it grows if more are added). */
  constructor(expected: number) {
    let size = 16;
    while (size * 0.7 < expected + 1) size *= 2;
    this.t = new Int32Array(size * 2).fill(EMPTY);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.limit = Math.floor(size * 0.7);
  }

  get size(): number {
    return this.count + (this.wide?.size ?? 0);
  }

  /**
   * The bucket holding `key`, or the free bucket where it would go (negative numbers name
   * buckets of the wide map). Use with `valueAt`, `setAt` and `insertAt`; valid until the
   * next insertion or deletion.
   */
  find(key: number): number {
    if (!(key >= 0 && key < INT_LIMIT && (key | 0) === key)) {
      this.wide ??= new WideKeyMap(16);
      return -1 - this.wide.find(key);
    }
    const t = this.t;
    const mask = this.mask;
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = t[2 * i]!;
      if (k === key || k === EMPTY) return i;
      i = (i + 1) & mask;
    }
  }

  /** The value in bucket `b` from `find`, or -1 when the bucket is free. */
  valueAt(b: number): number {
    return b >= 0 ? this.t[2 * b + 1]! : this.wide!.valueAt(-1 - b);
  }

  /** Replaces the value in the occupied bucket `b` just returned by `find`. */
  setAt(b: number, value: number): void {
    if (b >= 0) this.t[2 * b + 1] = value;
    else this.wide!.setAt(-1 - b, value);
  }

  /** Stores `key` → `value` (>= 0) in the free bucket `b` just returned by `find(key)`. */
  insertAt(b: number, key: number, value: number): void {
    if (b < 0) {
      this.wide!.insertAt(-1 - b, key, value);
      return;
    }
    this.t[2 * b] = key;
    this.t[2 * b + 1] = value;
    if (++this.count > this.limit) this.grow();
  }

  /** The value stored for `key`, or -1 when absent. */
  get(key: number): number {
    return this.valueAt(this.find(key));
  }

  /** Stores `value` (>= 0) for `key`, replacing any previous value. */
  set(key: number, value: number): void {
    const b = this.find(key);
    if (this.valueAt(b) !== EMPTY) this.setAt(b, value);
    else this.insertAt(b, key, value);
  }

  /** Removes `key`; returns its value, or -1 when it was absent. */
  delete(key: number): number {
    const i = this.find(key);
    if (i < 0) return this.wide!.delete(key);
    const t = this.t;
    const found = t[2 * i + 1]!;
    if (found === EMPTY) return EMPTY;
    const mask = this.mask;
    const shift = this.shift;
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = t[2 * j]!;
      if (k === EMPTY) break;
      const home = Math.imul(k, 0x9e3779b1) >>> shift;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        t[2 * hole] = k;
        t[2 * hole + 1] = t[2 * j + 1]!;
        hole = j;
      }
    }
    t[2 * hole] = EMPTY;
    t[2 * hole + 1] = EMPTY;
    this.count--;
    return found;
  }

  /** Removes every entry. */
  clear(): void {
    this.t.fill(EMPTY);
    this.count = 0;
    this.wide = undefined;
  }

  /** Replaces every value v by `fn(v)` (>= 0), in place. */
  mapValues(fn: (value: number) => number): void {
    const t = this.t;
    for (let b = 0; b < t.length; b += 2) if (t[b]! !== EMPTY) t[b + 1] = fn(t[b + 1]!);
    this.wide?.mapValues(fn);
  }

  /** Calls `fn` for every entry. */
  forEach(fn: (key: number, value: number) => void): void {
    const t = this.t;
    for (let b = 0; b < t.length; b += 2) if (t[b]! !== EMPTY) fn(t[b]!, t[b + 1]!);
    this.wide?.forEach(fn);
  }

  private grow(): void {
    const old = this.t;
    const size = old.length; // doubles the bucket count
    invariant(size <= 1 << 29, "keymap-size", "KeyMap.grow: more than 2^28 entries");
    this.t = new Int32Array(size * 2).fill(EMPTY);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.limit = Math.floor(size * 0.7);
    this.count = 0;
    for (let b = 0; b < old.length; b += 2)
      if (old[b]! !== EMPTY) this.insertAt(this.find(old[b]!), old[b]!, old[b + 1]!);
  }
}
