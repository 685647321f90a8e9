/**
 * A ghost list: the keys of recently evicted pages, without their data, oldest dropped
 * first (ARC's B1/B2, 2Q's A1out, S3-FIFO's G). O(1) membership, push, pop and removal
 * from the middle; a fixed node pool, so nothing is allocated per operation.
 */
import { DList, Links } from "./dlist.js";
import { KeyMap } from "./keymap.js";

export class GhostList {
  /** The most keys held; pushing beyond drops the oldest. */
  readonly limit: number;
  private readonly list: DList;
  private readonly keys: Float64Array;
  private readonly map: KeyMap;
  private readonly free: Int32Array;
  private freeCount: number;

  constructor(limit: number) {
    this.limit = Math.max(0, limit);
    const n = Math.max(1, this.limit);
    this.list = new DList(new Links(n));
    this.keys = new Float64Array(n);
    this.map = new KeyMap(n);
    this.free = new Int32Array(n);
    for (let i = 0; i < n; i++) this.free[i] = n - 1 - i;
    this.freeCount = n;
  }

  get size(): number {
    return this.list.size;
  }

  /** True when `key` is remembered. */
  has(key: number): boolean {
    return this.map.get(key) >= 0;
  }

  /** Forgets `key`; returns whether it was remembered. */
  delete(key: number): boolean {
    const node = this.map.delete(key);
    if (node < 0) return false;
    this.list.remove(node);
    this.free[this.freeCount++] = node;
    return true;
  }

  /** Remembers `key` as the newest (dropping the oldest when full). Precondition: absent. */
  push(key: number): void {
    if (this.limit === 0) return;
    if (this.list.size >= this.limit) this.popOldest();
    const node = this.free[--this.freeCount]!;
    this.keys[node] = key;
    this.map.set(key, node);
    this.list.pushHead(node);
  }

  /** Drops the oldest key; returns false when empty. */
  popOldest(): boolean {
    const node = this.list.popTail();
    if (node < 0) return false;
    this.map.delete(this.keys[node]!);
    this.free[this.freeCount++] = node;
    return true;
  }
}
