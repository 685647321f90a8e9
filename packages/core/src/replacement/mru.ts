/**
 * MRU: evict the most recently used page. Optimal-ish for cyclic scans larger than memory,
 * where LRU misses every time. Source: Chou and DeWitt, "An evaluation of buffer
 * management strategies for relational database systems", VLDB 1985.
 * Cost: O(1) per access.
 */
import { RecencyListPolicy } from "./recency.js";

export class MruPolicy extends RecencyListPolicy {
  readonly name = "mru";

  /** The head of the recency list: the most recently used page. */
  evict(): number {
    const victim = this.stack.head;
    this.stack.remove(victim);
    return victim;
  }
}
