/**
 * Miss-ratio curves: misses as a function of the number of frames. LRU's comes from one
 * pass of stack distances; other policies (not stack algorithms, or not known to be) need
 * one simulation per size, which `simulateSizes` runs (the CLI spreads sizes over threads).
 */

import { nextUseTimes } from "../replacement/opt.js";
import type { PolicyOptions } from "../replacement/policy.js";
import { isFutureAware } from "../replacement/policy.js";
import { createPolicy, resolvePolicyName } from "../replacement/registry.js";
import { narrowIndexFits, ReplacementSim } from "../replacement/sim.js";

/** One point of a curve. */
export interface CurvePoint {
  readonly frames: number;
  readonly misses: number;
  readonly missRatio: number;
}

/** A curve: the policy, the references it covers, and points in ascending frame order. */
export interface MissRatioCurve {
  readonly policy: string;
  readonly accesses: number;
  readonly points: readonly CurvePoint[];
}

/**
 * `points` frame counts spread over 1..maxFrames (roughly geometric when `points` is much
 * smaller than maxFrames, so small sizes are not starved), always including 1 and
 * maxFrames, ascending and distinct.
 */
export function curveSizes(maxFrames: number, points: number): number[] {
  const max = Math.max(1, Math.floor(maxFrames));
  const k = Math.max(1, Math.floor(points));
  if (k >= max) return Array.from({ length: max }, (_, i) => i + 1);
  const sizes = new Set<number>([1, max]);
  for (let i = 0; i < k; i++) {
    const linear = Math.round(1 + ((max - 1) * i) / (k - 1 || 1));
    const geometric = Math.round(max ** (i / (k - 1 || 1)));
    sizes.add(Math.max(1, Math.min(max, Math.round((linear + geometric) / 2))));
  }
  return [...sizes].sort((a, b) => a - b);
}

/**
 * Runs `policy` once per size over references already in memory (`keys[0..count)`,
 * optional store flags) and returns the curve. OPT gets its next-use times from one
 * backward pass shared by all sizes. Throws RangeError for an unknown policy.
 */
export function simulateSizes(
  policy: string,
  sizes: readonly number[],
  keys: Float64Array,
  count: number,
  writes?: Uint8Array,
  options: Omit<PolicyOptions, "capacity"> = {},
): MissRatioCurve {
  let next: Float64Array | undefined;
  const points: CurvePoint[] = [];
  // One index kind for every size (16-bit entries only if every size takes them): the
  // policy is the same, so the largest size decides.
  const largest = sizes.reduce((a, b) => Math.max(a, b), 1);
  const narrowIndex = narrowIndexFits(createPolicy(policy, { ...options, capacity: largest }));
  for (const frames of sizes) {
    const sim = new ReplacementSim(createPolicy(policy, { ...options, capacity: frames }), { narrowIndex });
    const batch = { keys, count, writes };
    if (isFutureAware(sim.policy)) {
      next ??= nextUseTimes(keys, count);
      sim.runWithFuture(batch, next);
    } else sim.run(batch);
    points.push({ frames, misses: sim.misses, missRatio: count === 0 ? 0 : sim.misses / count });
  }
  return { policy: resolvePolicyName(policy) ?? policy, accesses: count, points };
}
