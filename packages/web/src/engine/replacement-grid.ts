import { isFutureAware, nextUseTimes, type ReplacementPolicy, ReplacementSim } from "@memsim/core";

/**
 * Frame-by-time record of one policy on one reference string, for the side-by-side grids.
 * The engine's `ReplacementSim` runs the loop and the policy chooses every victim; this
 * recorder only reads the slots after each reference (`keyAt`, no side effects).
 *
 *   slots[t * frames + s]  page in slot s after reference t, or -1 when empty
 *   hit[t]                 1 when reference t was a hit
 *   victim[t]              slot whose page was evicted at t, or -1
 *   evicted[t]             the page evicted at t, or -1
 */
export interface PolicyGrid {
  readonly policy: string;
  readonly frames: number;
  readonly steps: number;
  readonly slots: Float64Array;
  readonly hit: Uint8Array;
  readonly victim: Int16Array;
  readonly evicted: Float64Array;
  readonly misses: number;
}

/** Makes a fresh policy instance managing `capacity` slots. */
export type PolicyFactory = (name: string, capacity: number) => ReplacementPolicy;

/** Runs `name` with `frames` slots over `refs` and records the grid. frames ≥ 1. */
export function recordGrid(
  name: string,
  make: PolicyFactory,
  refs: Float64Array,
  frames: number,
): PolicyGrid {
  const sim = new ReplacementSim(make(name, frames));
  const future = isFutureAware(sim.policy) ? nextUseTimes(refs, refs.length) : null;
  const steps = refs.length;
  const slots = new Float64Array(steps * frames);
  const hit = new Uint8Array(steps);
  const victim = new Int16Array(steps).fill(-1);
  const evicted = new Float64Array(steps).fill(-1);
  const before = new Float64Array(frames).fill(-1);
  for (let t = 0; t < steps; t++) {
    const page = refs[t]!;
    hit[t] = sim.access(page, false, future ? future[t]! : Number.POSITIVE_INFINITY) ? 1 : 0;
    for (let s = 0; s < frames; s++) {
      const now = sim.keyAt(s) ?? -1;
      if (!hit[t] && now === page && before[s] !== -1 && before[s] !== page) {
        victim[t] = s;
        evicted[t] = before[s]!;
      }
      slots[t * frames + s] = now;
      before[s] = now;
    }
  }
  return { policy: name, frames, steps, slots, hit, victim, evicted, misses: sim.misses };
}
