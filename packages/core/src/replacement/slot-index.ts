/**
 * The engine's page → slot index: a chained hash table whose entries are the frame slots
 * themselves (like the Linux page cache's hash of `struct page`). Each slot holds at most
 * one key, so the chains live in an `Int32Array` indexed by slot, and removing a victim
 * needs no probe sequence repair: unlink it from its (short) bucket chain. Page numbers
 * below 2^22 (16 GiB of 4 KiB pages) skip the hash altogether: they index a flat array of
 * slots, as a page table would (grown by doubling to the largest such number, at most
 * 16 MiB), so a lookup is one memory access.
 * Cost: O(1) expected per lookup, insert and remove; nothing allocated.
 */
import { hashKey } from "./keymap.js";

const NIL = -1;
/** Integer keys below this index the flat `near` array (at most 16 MiB). */
const NEAR_LIMIT = 1 << 22;

export class SlotIndex {
  /** Bucket → first slot of its chain, or -1. */
  private readonly head: Int32Array;
  /** Slot → next slot in the same bucket's chain, or -1. */
  private readonly chain: Int32Array;
  /** Slot → its key (meaningful while the slot is indexed). */
  readonly keys: Float64Array;
  /** Slot → its bucket, so removal rehashes nothing. */
  private readonly bucketOf: Int32Array;
  private readonly shift: number;
  /** Small integer key → its slot, or -1: a flat table, like a page table. */
  private near: Int32Array = new Int32Array(1 << 12).fill(NIL);
  /** The bucket the last unsuccessful `find` hashed to, for `insert`. */
  lastBucket = 0;

  constructor(capacity: number) {
    let buckets = 16;
    while (buckets < capacity * 2) buckets *= 2;
    this.head = new Int32Array(buckets).fill(NIL);
    this.chain = new Int32Array(capacity).fill(NIL);
    this.keys = new Float64Array(capacity);
    this.bucketOf = new Int32Array(capacity);
    this.shift = 32 - Math.log2(buckets);
  }

  /** The slot holding `key`, or -1 (then `lastBucket` is where it would go). */
  find(key: number): number {
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) {
      const near = this.near;
      return key < near.length ? near[key]! : NIL;
    }
    const b = hashKey(key, this.shift);
    const keys = this.keys;
    const chain = this.chain;
    let s = this.head[b]!;
    while (s !== NIL && keys[s] !== key) s = chain[s]!;
    this.lastBucket = b;
    return s;
  }

  /** Indexes `key` in the free `slot`, in bucket `bucket` (from the `find` that missed). */
  insert(slot: number, key: number, bucket: number): void {
    this.keys[slot] = key;
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) {
      let near = this.near;
      if (key >= near.length) near = this.grow(key);
      near[key] = slot;
      return;
    }
    this.bucketOf[slot] = bucket;
    this.chain[slot] = this.head[bucket]!;
    this.head[bucket] = slot;
  }

  /** Unindexes the key in `slot`, which must be indexed. */
  remove(slot: number): void {
    const key = this.keys[slot]!;
    if ((key | 0) === key && key >= 0 && key < NEAR_LIMIT) {
      this.near[key] = NIL;
      return;
    }
    const b = this.bucketOf[slot]!;
    const chain = this.chain;
    let s = this.head[b]!;
    if (s === slot) {
      this.head[b] = chain[slot]!;
      return;
    }
    while (chain[s]! !== slot) s = chain[s]!;
    chain[s] = chain[slot]!;
  }

  private grow(key: number): Int32Array {
    let n = this.near.length;
    while (n <= key) n *= 2;
    const near = new Int32Array(n).fill(NIL);
    near.set(this.near);
    this.near = near;
    return near;
  }
}
