/**
 * LRU: evict the page whose last reference is oldest. A stack algorithm (Mattson, Gecsei,
 * Slutz and Traiger, "Evaluation techniques for storage hierarchies", IBM Systems Journal
 * 9(2), 1970), so it never shows Belady's anomaly and has a one-pass miss-ratio curve.
 * Cost: O(1) per access (a hit moves the slot to the head of an intrusive list).
 */
import { RecencyListPolicy } from "./recency.js";

export class LruPolicy extends RecencyListPolicy {
  readonly name = "lru";
  readonly warmIndex = false;

  /** The tail of the recency list: the least recently used page. */
  evict(): number {
    return this.stack.popTail();
  }
}
