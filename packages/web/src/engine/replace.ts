import { findAnomalies, LruStackDistance, resolvePolicyName, simulateSizes } from "@memsim/core";
import type { Anomaly, MissCurve, RefSource, ReplaceParams, ReplaceResult } from "../worker/protocol.js";
import type { Progress } from "../worker/rpc.js";
import { type RefsRead, readRefs, readTraceFile } from "./refs.js";
import { type PolicyFactory, recordGrid } from "./replacement-grid.js";

/** The most reference × frame-count × policy simulations one comparison may cost. */
const CURVE_BUDGET = 60_000_000;

/** A user-facing mistake in a comparison request (bad policy name, bad input). */
export class LabInputError extends Error {}

/** Reads the references of a comparison, streaming a file chunk by chunk. */
export function loadRefs(source: RefSource): Promise<RefsRead> {
  return source.kind === "text"
    ? Promise.resolve(readRefs(source.text))
    : readTraceFile(source.file, source.name);
}

/** The frame counts a curve samples: every count when affordable, else evenly spaced. */
export function curveSizes(accesses: number, maxFrames: number, policies: number): number[] {
  const affordable = Math.max(2, Math.floor(CURVE_BUDGET / Math.max(1, accesses * policies)));
  const points = Math.min(maxFrames, affordable);
  const sizes = new Set<number>();
  for (let i = 0; i < points; i++)
    sizes.add(Math.max(1, Math.round(1 + (i * (maxFrames - 1)) / Math.max(1, points - 1))));
  return [...sizes].sort((a, b) => a - b);
}

/**
 * Misses of `policy` at each of `sizes` over all references: LRU from one pass of the
 * engine's stack-distance counter (exact at every size), the others from the engine's
 * per-size runs.
 */
export function missCurve(policy: string, sizes: readonly number[], refs: Float64Array): MissCurve {
  if (resolvePolicyName(policy) === "lru") {
    const stack = new LruStackDistance();
    stack.push(refs, refs.length);
    return { policy, frames: sizes, misses: sizes.map((f) => stack.misses(f)) };
  }
  const curve = simulateSizes(policy, sizes, refs, refs.length);
  return { policy, frames: sizes, misses: curve.points.map((p) => p.misses) };
}

/** Belady's anomalies of a curve, by the engine's finder. */
export function curveAnomalies(curve: MissCurve): Anomaly[] {
  const points = curve.frames.map((frames, i) => ({ frames, misses: curve.misses[i]!, missRatio: 0 }));
  return findAnomalies(points).map((a) => ({ policy: curve.policy, ...a }));
}

/** Runs every policy on the references: grids on the first part, curves on all of it. */
export function compare(
  refs: Float64Array,
  params: Omit<ReplaceParams, "source">,
  make: PolicyFactory,
  progress?: Progress,
): Omit<ReplaceResult, "format"> {
  const shown = refs.subarray(0, Math.min(refs.length, Math.max(0, params.gridLimit)));
  const grids = params.policies.map((p) => recordGrid(p, make, shown, params.frames));
  const sizes = curveSizes(refs.length, params.maxFrames, params.policies.length);
  const curves: MissCurve[] = params.policies.map((policy, i) => {
    progress?.(i, params.policies.length);
    return missCurve(policy, sizes, refs);
  });
  const totals = params.policies.map((policy, i) => ({
    policy,
    misses:
      refs.length === shown.length ? grids[i]!.misses : missCurve(policy, [params.frames], refs).misses[0]!,
  }));
  return {
    accesses: refs.length,
    distinctPages: new Set(refs).size,
    refs: shown.slice(),
    grids,
    curves,
    anomalies: curves.flatMap(curveAnomalies),
    totals,
  };
}

/** Checks a request's numbers and names before any work, with a sentence for each mistake. */
export function checkReplaceParams(params: ReplaceParams, known: readonly string[]): void {
  if (params.policies.length === 0) throw new LabInputError("choose at least one policy");
  for (const p of params.policies)
    if (!known.includes(p)) throw new LabInputError(`unknown policy "${p}"; known: ${known.join(", ")}`);
  if (!Number.isInteger(params.frames) || params.frames < 1 || params.frames > 64)
    throw new LabInputError("frames must be a whole number from 1 to 64");
  if (!Number.isInteger(params.maxFrames) || params.maxFrames < 1 || params.maxFrames > 4096)
    throw new LabInputError("the curve's largest frame count must be a whole number from 1 to 4096");
}
