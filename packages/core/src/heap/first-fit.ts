/**
 * First fit: the first free block on the list that is large enough (Knuth, TAOCP vol. 1
 * §2.5). Cost per malloc: O(free blocks) in the worst case; with an address-ordered list
 * small blocks collect at the low end of the heap.
 */
import { ExplicitListHeap } from "./explicit-list.js";

export class FirstFitHeap extends ExplicitListHeap {
  readonly name: string = "first-fit";

  protected findFit(asize: number): number {
    let steps = 0;
    for (let b = this.head; b !== 0; b = this.next(b)) {
      steps++;
      if (this.sizeOf(b) >= asize) {
        this.stats.searchSteps += steps;
        return b;
      }
    }
    this.stats.searchSteps += steps;
    return 0;
  }
}
