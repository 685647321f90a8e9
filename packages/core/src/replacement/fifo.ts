/**
 * FIFO: evict the page that has been resident longest, whatever its use.
 * Source: Belady, "A study of replacement algorithms for a virtual-storage computer",
 * IBM Systems Journal 5(2), 1966; the classic example of Belady's anomaly.
 * Cost: O(1) per access (a hit does nothing; a miss pops the queue's oldest end).
 */
import { DList, Links } from "./dlist.js";
import type { ReplacementPolicy } from "./policy.js";

export class FifoPolicy implements ReplacementPolicy {
  readonly name = "fifo";
  readonly warmIndex = false;
  readonly capacity: number;
  private readonly queue: DList;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.queue = new DList(new Links(capacity));
  }

  onHit(_slot: number, _write: boolean): void {}

  onInsert(slot: number, _key: number, _write: boolean): void {
    this.queue.pushHead(slot);
  }

  evict(): number {
    return this.queue.popTail();
  }

  remove(slot: number): void {
    this.queue.remove(slot);
  }
}
