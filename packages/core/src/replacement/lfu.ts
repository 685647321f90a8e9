/**
 * LFU: evict the page referenced least often while resident; ties go to the page whose
 * last reference is oldest. Counts start at 1 on insertion and are forgotten on eviction.
 * Source: the O(1) scheme of Shah, Mitra and Matani, "An O(1) algorithm for implementing
 * the LFU cache eviction scheme", 2010: a list of frequency buckets in ascending order,
 * each holding the slots with that count, newest first.
 * Cost: O(1) per access (a hit moves the slot to the next bucket, creating it if needed).
 */
import { DList, Links } from "./dlist.js";
import type { ReplacementPolicy } from "./policy.js";

const NIL = -1;

export class LfuPolicy implements ReplacementPolicy {
  readonly name = "lfu";
  readonly capacity: number;
  /** Per slot: its bucket. */
  private readonly bucketOf: Int32Array;
  /** Slot lists, one per bucket, over shared links. */
  private readonly slotLinks: Links;
  private readonly members: DList[];
  /** Per bucket: its count, and the bucket list (ascending counts). */
  private readonly count: Float64Array;
  private readonly buckets: DList;
  private readonly freeBuckets: Int32Array;
  private freeCount: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.bucketOf = new Int32Array(capacity).fill(NIL);
    this.slotLinks = new Links(capacity);
    // One bucket more than slots: a hit creates the next bucket before leaving its own.
    const nb = capacity + 1;
    this.members = Array.from({ length: nb }, () => new DList(this.slotLinks));
    this.count = new Float64Array(nb);
    // Bucket list: head = lowest count (the victim end), tail = highest.
    this.buckets = new DList(new Links(nb));
    this.freeBuckets = new Int32Array(nb);
    for (let i = 0; i < nb; i++) this.freeBuckets[i] = nb - 1 - i;
    this.freeCount = nb;
  }

  onHit(slot: number, _write: boolean): void {
    const b = this.bucketOf[slot]!;
    const want = this.count[b]! + 1;
    let nb = this.buckets.older(b);
    if (nb === NIL || this.count[nb]! !== want) {
      nb = this.newBucketAfter(b, want);
    }
    this.leave(slot, b);
    this.join(slot, nb);
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    let b = this.buckets.head;
    if (b === NIL || this.count[b]! !== 1) {
      b = this.takeBucket(1);
      this.buckets.pushHead(b);
    }
    this.join(slot, b);
  }

  evict(): number {
    const b = this.buckets.head;
    const victim = this.members[b]!.tail;
    this.leave(victim, b);
    return victim;
  }

  remove(slot: number): void {
    this.leave(slot, this.bucketOf[slot]!);
  }

  private join(slot: number, b: number): void {
    this.members[b]!.pushHead(slot);
    this.bucketOf[slot] = b;
  }

  /** Takes `slot` out of bucket `b`, freeing the bucket when it empties. */
  private leave(slot: number, b: number): void {
    const m = this.members[b]!;
    m.remove(slot);
    this.bucketOf[slot] = NIL;
    if (m.size === 0) {
      this.buckets.remove(b);
      this.freeBuckets[this.freeCount++] = b;
    }
  }

  private takeBucket(count: number): number {
    const b = this.freeBuckets[--this.freeCount]!;
    this.count[b] = count;
    return b;
  }

  /** A new bucket with `count`, linked right after `b` (toward higher counts). */
  private newBucketAfter(b: number, count: number): number {
    const nb = this.takeBucket(count);
    const after = this.buckets.older(b);
    if (after === NIL) this.buckets.pushTail(nb);
    else this.buckets.insertBefore(nb, after);
    return nb;
  }
}
