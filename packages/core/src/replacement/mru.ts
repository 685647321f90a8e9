/**
 * MRU: evict the most recently used page. Optimal-ish for cyclic scans larger than memory,
 * where LRU misses every time. Source: Chou and DeWitt, "An evaluation of buffer
 * management strategies for relational database systems", VLDB 1985.
 * Cost: O(1) per access.
 */
import { DList, Links } from "./dlist.js";
import type { ReplacementPolicy } from "./policy.js";

export class MruPolicy implements ReplacementPolicy {
  readonly name = "mru";
  readonly capacity: number;
  private readonly stack: DList;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.stack = new DList(new Links(capacity));
  }

  onHit(slot: number, _write: boolean): void {
    this.stack.moveToHead(slot);
  }

  onInsert(slot: number, _key: number, _write: boolean): void {
    this.stack.pushHead(slot);
  }

  evict(): number {
    const victim = this.stack.head;
    this.stack.remove(victim);
    return victim;
  }

  remove(slot: number): void {
    this.stack.remove(slot);
  }
}
