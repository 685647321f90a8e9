/**
 * One measured case of bench/replace.bench.ts, in its own process so every policy runs
 * with fresh JIT state (as one `memsim replace` run does), under plain `node` (the suite
 * transpiles this file to bench/data/replace-worker.mjs): the case as JSON in argv[2],
 * the result as JSON on stdout. Runs what `memsim replace` runs, from the built CLI
 * package: `runSweep` (the file streamed by `readChunks`, gzip and zstd undone on the fly,
 * parsed in a second thread while this one simulates), so the time covers read + parse +
 * simulate (+ the next-use pass for OPT), and CPU time counts both threads. Best of `rounds`.
 * Like the command, it raises V8's inlining budget first (`tuneJit`).
 */
import { lruStackPass, parseAheadAvailable, runSweep, tuneJit } from "@memsim/cli";
import type { TraceFormat } from "@memsim/core";

export interface CaseSpec {
  readonly path: string;
  readonly format: TraceFormat;
  /** "mrc" runs the one-pass LRU stack-distance pass instead of a policy. */
  readonly policy: string;
  readonly frames: number;
  /** For "mrc": bound the stack at this depth (exact for sizes up to it). */
  readonly depth?: number;
  readonly rounds: number;
  /** The file is gzipped (detected from its bytes either way, as the CLI does). */
  readonly gzip?: boolean;
  /** false: parse in the simulating thread (the path for standard input), for A/B runs. */
  readonly parseAhead?: boolean;
}

export interface CaseResult {
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** CPU seconds of this process (user + system, every thread): what the run cost on a busy machine. */
  readonly cpuSeconds: number;
  readonly accesses: number;
  readonly misses: number;
}

async function once(spec: CaseSpec): Promise<CaseResult> {
  const ahead = spec.parseAhead !== false;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (spec.policy === "mrc") {
    const sd = await lruStackPass(spec.path, spec.format, {}, spec.depth, undefined, ahead);
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, cpuSeconds: cpu(c0), accesses: sd.references, misses: sd.misses(spec.frames) };
  }
  const [row] = await runSweep({
    path: spec.path,
    format: spec.format,
    trace: {},
    policyOptions: { seed: 1 }, // memsim replace's default --seed
    runs: [{ policy: spec.policy, frames: spec.frames }],
    parseAhead: ahead,
  });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, cpuSeconds: cpu(c0), accesses: row!.accesses, misses: row!.misses };
}

function cpu(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

if (process.argv[2] !== undefined) {
  // As the memsim command does before it runs anything (MEMSIM_BENCH_JIT=default leaves
  // V8's defaults, for A/B runs).
  if (process.env.MEMSIM_BENCH_JIT !== "default") tuneJit();
  const spec = JSON.parse(process.argv[2]) as CaseSpec;
  if (spec.parseAhead !== false && !parseAheadAvailable())
    throw new Error("the built @memsim/cli is needed (npm run build)");
  let best: CaseResult | undefined;
  for (let r = 0; r < spec.rounds; r++) {
    const res = await once(spec);
    if (best === undefined || res.seconds < best.seconds) best = res;
  }
  process.stdout.write(JSON.stringify(best));
}
