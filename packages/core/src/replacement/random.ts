/**
 * Random: evict a frame chosen uniformly at random, from the injected seeded generator
 * (`FastRng`, xoshiro128**), so a run is reproducible. A baseline that needs no
 * bookkeeping; used by the Intel i860 and some ARM TLBs.
 * Source: Belady 1966 (RAND). Cost: O(1) per access.
 */
import { FastRng } from "../base/rng.js";
import type { ReplacementPolicy } from "./policy.js";

export class RandomPolicy implements ReplacementPolicy {
  readonly name = "random";
  readonly capacity: number;
  private readonly rng: FastRng;

  /** `seed` fixes the victim sequence (default 1). */
  constructor(capacity: number, seed = 1) {
    this.capacity = capacity;
    this.rng = new FastRng(seed);
  }

  onHit(_slot: number, _write: boolean): void {}

  onInsert(_slot: number, _key: number, _write: boolean): void {}

  /** Precondition (the engine's): every slot is occupied, so any index is a victim. */
  evict(): number {
    return this.rng.below(this.capacity);
  }

  remove(_slot: number): void {}
}
