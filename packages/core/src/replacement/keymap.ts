/**
 * An open-addressing hash map from page keys (non-negative integers below 2^53) to int32
 * values, in typed arrays: linear probing, load factor at most 1/2, and backward-shift
 * deletion (Knuth, TAOCP vol. 3, 6.4, algorithm R) so there are no tombstones and a probe
 * never walks further than the cluster it hashes into. Allocates nothing per operation.
 * Cost: O(1) expected per get/set/delete.
 */
import { invariant } from "../base/errors.js";

const EMPTY = -1;
const TWO_32 = 4294967296;

/** Fibonacci hash of a key; mixes the bits above 2^32 in so large keys spread too. */
export function hashKey(key: number, shift: number): number {
  const lo = key | 0;
  const hi = (key / TWO_32) | 0;
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> shift;
}

export class KeyMap {
  /** Keys per bucket (meaningless where `vals` is EMPTY). */
  private keys: Float64Array;
  /** Values per bucket, EMPTY (-1) for a free bucket. Values must be >= 0. */
  private vals: Int32Array;
  private mask: number;
  private shift: number;
  private count = 0;
  /** The most entries this map holds without growing; it grows (rehashes) beyond. */
  private limit: number;

  /** A map sized for `expected` entries (it grows if more are added). */
  constructor(expected: number) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.vals = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.limit = size >>> 1;
  }

  get size(): number {
    return this.count;
  }

  /** The value stored for `key`, or -1 when absent. */
  get(key: number): number {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hashKey(key, this.shift);
    for (;;) {
      const v = vals[i]!;
      if (v === EMPTY || keys[i] === key) return v;
      i = (i + 1) & mask;
    }
  }

  /** Stores `value` (>= 0) for `key`, replacing any previous value. */
  set(key: number, value: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hashKey(key, this.shift);
    for (;;) {
      const v = vals[i]!;
      if (v === EMPTY) break;
      if (keys[i] === key) {
        vals[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    vals[i] = value;
    if (++this.count > this.limit) this.grow();
  }

  /** Removes `key`; returns its value, or -1 when it was absent. */
  delete(key: number): number {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    const shift = this.shift;
    let i = hashKey(key, shift);
    for (;;) {
      const v = vals[i]!;
      if (v === EMPTY) return EMPTY;
      if (keys[i] === key) break;
      i = (i + 1) & mask;
    }
    const found = vals[i]!;
    // Backward shift: pull later members of the cluster into the hole when their home
    // bucket lies cyclically at or before the hole.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const v = vals[j]!;
      if (v === EMPTY) break;
      const home = hashKey(keys[j]!, shift);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j]!;
        vals[hole] = v;
        hole = j;
      }
    }
    vals[hole] = EMPTY;
    this.count--;
    return found;
  }

  /** Removes every entry. */
  clear(): void {
    this.vals.fill(EMPTY);
    this.count = 0;
  }

  /** Calls `fn` for every entry (in bucket order). */
  forEach(fn: (key: number, value: number) => void): void {
    const vals = this.vals;
    for (let i = 0; i < vals.length; i++) if (vals[i]! !== EMPTY) fn(this.keys[i]!, vals[i]!);
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const size = oldVals.length * 2;
    invariant(size <= 1 << 30, "keymap-size", "KeyMap.grow: more than 2^29 entries");
    this.keys = new Float64Array(size);
    this.vals = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.limit = size >>> 1;
    this.count = 0;
    for (let i = 0; i < oldVals.length; i++) if (oldVals[i]! !== EMPTY) this.set(oldKeys[i]!, oldVals[i]!);
  }
}
