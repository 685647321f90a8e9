/**
 * LRU: evict the page whose last reference is oldest. A stack algorithm (Mattson, Gecsei,
 * Slutz and Traiger, "Evaluation techniques for storage hierarchies", IBM Systems Journal
 * 9(2), 1970), so it never shows Belady's anomaly and has a one-pass miss-ratio curve.
 * Cost: O(1) per access (a hit moves the slot to the head of an intrusive list).
 */
import { DList, Links } from "./dlist.js";
import type { ReplacementPolicy } from "./policy.js";

export class LruPolicy implements ReplacementPolicy {
  readonly name = "lru";
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
    return this.stack.popTail();
  }

  remove(slot: number): void {
    this.stack.remove(slot);
  }
}
