import type { Anomaly, MissCurve, RefSource, ReplaceParams, ReplaceResult } from "../worker/protocol.js";
import type { Progress } from "../worker/rpc.js";
import { type RefsRead, readRefs, readTraceFile } from "./refs.js";
import { countMisses, type PolicyFactory, recordGrid } from "./replacement-grid.js";

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

/** Adjacent sampled sizes where the larger one misses more. */
export function findAnomalies(curve: MissCurve): Anomaly[] {
  const found: Anomaly[] = [];
  for (let i = 0; i + 1 < curve.frames.length; i++) {
    const misses = curve.misses[i]!;
    const moreMisses = curve.misses[i + 1]!;
    if (moreMisses > misses)
      found.push({
        policy: curve.policy,
        frames: curve.frames[i]!,
        misses,
        moreFrames: curve.frames[i + 1]!,
        moreMisses,
      });
  }
  return found;
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
  const total = sizes.length * params.policies.length;
  const curves: MissCurve[] = params.policies.map((policy, pi) => ({
    policy,
    frames: sizes,
    misses: sizes.map((f, si) => {
      progress?.(pi * sizes.length + si, total);
      return countMisses(policy, make, refs, f);
    }),
  }));
  const totals = params.policies.map((policy) => ({
    policy,
    misses:
      refs.length === shown.length
        ? grids.find((g) => g.policy === policy)!.misses
        : countMisses(policy, make, refs, params.frames),
  }));
  return {
    accesses: refs.length,
    distinctPages: new Set(refs).size,
    refs: shown.slice(),
    grids,
    curves,
    anomalies: curves.flatMap(findAnomalies),
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
