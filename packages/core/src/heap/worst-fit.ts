/**
 * Worst fit: the largest free block, so that the remainder stays usable (Knuth, TAOCP
 * vol. 1 §2.5). Known to fragment badly (Wilson et al. 1995); here for comparison.
 * Cost per malloc: a scan of the whole free list.
 */
import { ExplicitListHeap } from "./explicit-list.js";

export class WorstFitHeap extends ExplicitListHeap {
  readonly name: string = "worst-fit";

  protected findFit(asize: number): number {
    let steps = 0;
    let worst = 0;
    let worstSize = 0;
    for (let b = this.head; b !== 0; b = this.next(b)) {
      steps++;
      const s = this.sizeOf(b);
      if (s > worstSize) {
        worst = b;
        worstSize = s;
      }
    }
    this.stats.searchSteps += steps;
    return worstSize >= asize ? worst : 0;
  }
}
