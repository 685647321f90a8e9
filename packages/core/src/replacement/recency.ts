/**
 * What LRU and MRU share: the resident slots on an intrusive list in recency order, most
 * recently used at the head. A hit moves the slot to the head, an insert pushes it there;
 * the two policies differ only in which end `evict` takes. Cost: O(1) per access.
 */
import { DList, Links } from "./dlist.js";
import type { ReplacementPolicy } from "./policy.js";

export abstract class RecencyListPolicy implements ReplacementPolicy {
  abstract readonly name: string;
  readonly capacity: number;
  protected readonly stack: DList;

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

  abstract evict(): number;

  remove(slot: number): void {
    this.stack.remove(slot);
  }
}
