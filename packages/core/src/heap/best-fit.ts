/**
 * Best fit: the smallest free block that is large enough, stopping early on an exact fit
 * (Knuth, TAOCP vol. 1 §2.5). Low fragmentation on real programs (Johnstone and Wilson
 * 1998); cost per malloc: a scan of the whole free list.
 */
import { ExplicitListHeap } from "./explicit-list.js";

export class BestFitHeap extends ExplicitListHeap {
  readonly name: string = "best-fit";

  protected findFit(asize: number): number {
    let steps = 0;
    let best = 0;
    let bestSize = Number.POSITIVE_INFINITY;
    for (let b = this.head; b !== 0; b = this.next(b)) {
      steps++;
      const s = this.sizeOf(b);
      if (s >= asize && s < bestSize) {
        best = b;
        bestSize = s;
        if (s === asize) break;
      }
    }
    this.stats.searchSteps += steps;
    return best;
  }
}
