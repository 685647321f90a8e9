/**
 * The benchmark harness's shared vocabulary. Each `bench/NAME.bench.ts` exports
 * `suite: BenchSuite`; `bench/run.ts` discovers them, prints one table and writes
 * `bench/results/NAME.json`. Benchmarks import the built packages (`npm run bench`
 * builds first), so they measure what users run.
 */
export interface BenchRow {
  /** What was measured, e.g. "translate, TLB hit". */
  readonly case: string;
  /** The figure, in `unit`. */
  readonly value: number;
  /** e.g. "ops/s", "req/s", "ms", "bytes". */
  readonly unit: string;
  /** A target from the issue, in the same unit, when one is named. */
  readonly target?: number;
  /** The peer's figure measured side by side (or quoted), in the same unit. */
  readonly peer?: { readonly name: string; readonly value: number };
  readonly note?: string;
}

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  run(): Promise<BenchRow[]>;
}

/** Runs `fn` repeatedly for at least `minMs` (after one warm-up call) and returns the best ops/s. */
export function opsPerSecond(opsPerCall: number, fn: () => void, minMs = 300, rounds = 3): number {
  fn();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    do {
      fn();
      calls++;
      t = performance.now();
    } while (t - t0 < minMs);
    best = Math.max(best, (calls * opsPerCall * 1000) / (t - t0));
  }
  return best;
}

/** Wall time of one call of `fn` in milliseconds (best of `rounds`). */
export function timeMs(fn: () => void, rounds = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
