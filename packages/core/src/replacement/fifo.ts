/**
 * FIFO: evict the page that has been resident longest, whatever its use.
 * Source: Belady, "A study of replacement algorithms for a virtual-storage computer",
 * IBM Systems Journal 5(2), 1966; the classic example of Belady's anomaly.
 * Cost: O(1) per access (a hit does nothing; a miss pops the queue's oldest end). The queue
 * is a ring of slots, so evictions read memory in order.
 */
import type { ReplacementPolicy } from "./policy.js";
import { SlotRing } from "./slot-ring.js";

export class FifoPolicy implements ReplacementPolicy {
  readonly name = "fifo";
  readonly warmIndex = false;
  readonly capacity: number;
  private readonly queue: SlotRing;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.queue = new SlotRing(capacity);
  }

  onHit(_slot: number, _write: boolean): void {}

  onInsert(slot: number, _key: number, _write: boolean): void {
    this.queue.push(slot);
  }

  evict(): number {
    return this.queue.pop();
  }

  remove(slot: number): void {
    this.queue.remove(slot);
  }
}
