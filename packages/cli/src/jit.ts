/**
 * V8 tuning for the simulators' hot loops, applied by the `memsim` command before any of
 * them runs (the flags are process-wide, so the worker threads it starts share them).
 *
 * A replacement policy's miss path is a chain of small methods (evict, the ghost bookkeeping,
 * list moves, index stores). With V8's default inlining budget (920 bytes of bytecode per
 * optimized function) the compiler stops inlining part way down that chain, and each
 * remaining call saves and reloads registers and keeps the processor from overlapping one
 * miss's memory accesses with the next's. A larger budget inlines the whole path. On the
 * 10M-reference uniform trace, in memory, alternating runs: LIRS 1.28-1.38x faster, 2Q
 * 1.18-1.25x, ARC 1.15-1.18x, S3-FIFO 1.15-1.21x, LFU 1.06-1.18x, OPT 1.08-1.10x; FIFO,
 * LRU, Clock and SIEVE, whose paths were already inlined, unchanged (0.96-1.07x).
 *
 * A program that uses @memsim/core directly gets the same by starting node with these flags
 * (or calling this function first).
 */
import v8 from "node:v8";

/** The flags `tuneJit` sets. */
export const JIT_FLAGS = ["--max-inlined-bytecode-size-cumulative=4000", "--max-inlined-bytecode-size=1000"];

let tuned = false;

/**
 * Raises V8's inlining budget for this process (once; later calls do nothing). Call it
 * before the simulations start: code already optimized keeps its old shape.
 */
export function tuneJit(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of JIT_FLAGS) v8.setFlagsFromString(flag);
}
