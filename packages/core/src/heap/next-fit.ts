/**
 * Next fit: first fit that resumes where the previous search stopped (Knuth, TAOCP vol. 1
 * §2.5, exercise 6). Spreads allocations over the heap; usually more fragmentation than
 * first fit (Wilson et al. 1995). Cost per malloc: O(free blocks) worst case.
 */
import { ExplicitListHeap } from "./explicit-list.js";

export class NextFitHeap extends ExplicitListHeap {
  readonly name: string = "next-fit";
  /** Where the next search starts; 0 means the head of the list. */
  private rover = 0;

  protected findFit(asize: number): number {
    let steps = 0;
    const start = this.rover !== 0 ? this.rover : this.head;
    for (let b = start; b !== 0; b = this.next(b)) {
      steps++;
      if (this.sizeOf(b) >= asize) return this.found(b, steps);
    }
    for (let b = this.head; b !== 0 && b !== start; b = this.next(b)) {
      steps++;
      if (this.sizeOf(b) >= asize) return this.found(b, steps);
    }
    this.stats.searchSteps += steps;
    return 0;
  }

  private found(b: number, steps: number): number {
    this.stats.searchSteps += steps;
    this.rover = b;
    return b;
  }

  protected override unlink(b: number, size: number): void {
    if (b === this.rover) this.rover = this.next(b);
    super.unlink(b, size);
  }
}
