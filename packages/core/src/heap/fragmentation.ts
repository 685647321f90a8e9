/**
 * Johnstone and Wilson's four measures of fragmentation ("The memory fragmentation
 * problem: solved?", ISMM 1998, §3.2), sampled after every operation. "Used" is the memory
 * the allocator holds from the system (its footprint: heap plus mappings), "live" the
 * bytes the program has asked for and not freed. Each measure is a percentage of waste:
 *
 *   #1  used relative to live, averaged over time (here: mean used / mean live, which
 *       stays finite when the live set is momentarily empty)
 *   #2  used at the moment of maximum live memory, relative to that maximum
 *   #3  maximum used, relative to live at that moment
 *   #4  maximum used, relative to maximum live
 */
export interface Fragmentation {
  readonly f1: number;
  readonly f2: number;
  readonly f3: number;
  readonly f4: number;
}

export class FragmentationMeter {
  private sumUsed = 0;
  private sumLive = 0;
  /** Peak live bytes, and the footprint when it was reached. */
  maxLive = 0;
  private usedAtMaxLive = 0;
  /** Peak footprint, and the live bytes when it was reached. */
  maxUsed = 0;
  private liveAtMaxUsed = 0;

  /** Records one point in time. */
  sample(live: number, used: number): void {
    this.sumUsed += used;
    this.sumLive += live;
    if (live > this.maxLive) {
      this.maxLive = live;
      this.usedAtMaxLive = used;
    }
    if (used > this.maxUsed || (used === this.maxUsed && live > this.liveAtMaxUsed)) {
      this.maxUsed = used;
      this.liveAtMaxUsed = live;
    }
  }

  measures(): Fragmentation {
    const pct = (used: number, live: number) => (live > 0 ? (used / live - 1) * 100 : 0);
    return {
      f1: pct(this.sumUsed, this.sumLive),
      f2: pct(this.usedAtMaxLive, this.maxLive),
      f3: pct(this.maxUsed, this.liveAtMaxUsed),
      f4: pct(this.maxUsed, this.maxLive),
    };
  }
}
