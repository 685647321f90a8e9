/**
 * Belady's anomaly: more frames, more faults. FIFO shows it on Belady's string
 * 1,2,3,4,1,2,5,1,2,3,4,5 (9 faults with 3 frames, 10 with 4); stack algorithms (LRU,
 * OPT) never do (Mattson et al. 1970). Source: Belady, Nelson and Shedler, "An anomaly in
 * space-time characteristics of certain programs running in a paging machine", CACM 1969.
 */
import type { CurvePoint } from "./curves.js";

/** A pair of sizes where the larger one faults more. */
export interface Anomaly {
  readonly frames: number;
  readonly misses: number;
  readonly moreFrames: number;
  readonly moreMisses: number;
}

/**
 * Every adjacent pair of points (in ascending frame order) where the larger size has more
 * misses. Points need not be consecutive sizes; pass every size to find every anomaly.
 */
export function findAnomalies(points: readonly CurvePoint[]): Anomaly[] {
  const sorted = [...points].sort((a, b) => a.frames - b.frames);
  const out: Anomaly[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.misses > a.misses)
      out.push({ frames: a.frames, misses: a.misses, moreFrames: b.frames, moreMisses: b.misses });
  }
  return out;
}
