/**
 * A ghost list: the keys of recently evicted pages, without their data, oldest dropped
 * first (ARC's B1/B2, 2Q's A1out, S3-FIFO's G). The keys sit in a ring in insertion
 * order; a hash map gives each key its insertion number. Removal only blanks the key's
 * ring cell (dropping the oldest skips blanks), and the map is never probed for deletion:
 * entries that fell out of the ring are recognised as stale by their number and swept out
 * by a rebuild once the map holds twice the ring; a ring clogged with blanks is compacted
 * (the idea of S3-FIFO's ghost queue kept
 * in the index). Cost: O(1) amortized per operation; nothing allocated after creation.
 */
import { KeyMap } from "./keymap.js";

export class GhostList {
  /** The most keys held; pushing beyond drops the oldest. */
  readonly limit: number;
  /** ring[seq % cap]: the key pushed as number seq, or NaN once removed. */
  private readonly ring: Float64Array;
  private readonly cap: number;
  /** Insertion numbers: the oldest still in the ring, and the next to give. */
  private tail = 0;
  private head = 0;
  private live = 0;
  private readonly map: KeyMap;
  private readonly scratch: Float64Array;

  constructor(limit: number) {
    this.limit = Math.max(0, Math.floor(limit));
    // Twice the limit, so blanks left by removals rarely force a compaction.
    this.cap = Math.max(2, 2 * this.limit);
    this.ring = new Float64Array(this.cap).fill(Number.NaN);
    this.scratch = new Float64Array(this.cap);
    this.map = new KeyMap(2 * this.cap + 1);
  }

  get size(): number {
    return this.live;
  }

  /** True when `key` is remembered. */
  has(key: number): boolean {
    return this.seqOf(key) >= 0;
  }

  /** Forgets `key`; returns whether it was remembered. */
  delete(key: number): boolean {
    const seq = this.seqOf(key);
    if (seq < 0) return false;
    this.ring[seq % this.cap] = Number.NaN;
    this.live--;
    return true;
  }

  /** Remembers `key` as the newest (dropping the oldest when full). Precondition: absent. */
  push(key: number): void {
    if (this.limit === 0) return;
    if (this.live >= this.limit) this.popOldest();
    // Full of cells (live and blank): squeeze the blanks out.
    if (this.head - this.tail >= this.cap) this.compact();
    const seq = this.head++;
    this.ring[seq % this.cap] = key;
    this.live++;
    this.map.set(key, seq % 0x40000000);
    if (this.map.size > 2 * this.cap) this.rebuild();
  }

  /** Drops the oldest key; returns false when empty. */
  popOldest(): boolean {
    while (this.tail < this.head) {
      const key = this.ring[this.tail % this.cap]!;
      this.ring[this.tail % this.cap] = Number.NaN;
      this.tail++;
      if (!Number.isNaN(key)) {
        this.live--;
        return true;
      }
    }
    return false;
  }

  /** The insertion number of `key` if it is still in the ring, else -1. */
  private seqOf(key: number): number {
    const stored = this.map.get(key);
    if (stored < 0) return -1;
    // Map values are kept modulo 2^30; recover the full number nearest below head.
    const seq = this.head - 1 - ((((this.head - 1 - stored) % 0x40000000) + 0x40000000) % 0x40000000);
    if (seq < this.tail || seq >= this.head) return -1;
    return this.ring[seq % this.cap] === key ? seq : -1;
  }

  /** Moves the live keys to the front of the ring, in order, and rebuilds the map. */
  private compact(): void {
    let n = 0;
    for (let seq = this.tail; seq < this.head; seq++) {
      const key = this.ring[seq % this.cap]!;
      if (!Number.isNaN(key)) this.scratch[n++] = key;
    }
    this.ring.fill(Number.NaN);
    this.ring.set(this.scratch.subarray(0, n));
    this.tail = 0;
    this.head = n;
    this.rebuild();
  }

  /** Rebuilds the map from the ring, dropping stale entries. */
  private rebuild(): void {
    this.map.clear();
    for (let seq = this.tail; seq < this.head; seq++) {
      const key = this.ring[seq % this.cap]!;
      if (!Number.isNaN(key)) this.map.set(key, seq % 0x40000000);
    }
  }
}
