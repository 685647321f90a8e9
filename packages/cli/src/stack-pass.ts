/**
 * The one-pass LRU stack-distance pass over a trace file, as `memsim mrc` runs it. Without
 * a depth, and when the file is parsed in a second thread, that thread also looks up each
 * reference's previous time (the core's `PreviousTimes`) and this one only counts
 * (`LruStackDistance.pushPrevious`): the lookups are a fifth of the pass's work, and the
 * parse thread has time to spare. Otherwise this thread does both (`push`).
 */
import { LruStackDistance, type TraceOptions } from "@memsim/core";
import { streamTraceAhead } from "./parse-ahead.js";
import { parsesAhead, streamerFor } from "./sweep.js";
import type { FormatChoice, ProgressFn } from "./trace-stream.js";

/** The pass's first window of times. */
const WINDOW = 1 << 16;

/**
 * Stack distances of every reference in `path`; with `depth`, the stack is bounded there
 * (exact for sizes up to it, memory and time following it). `parseAhead: false` keeps the
 * parsing in this thread.
 */
export async function lruStackPass(
  path: string,
  format: FormatChoice,
  trace: TraceOptions,
  depth = Number.POSITIVE_INFINITY,
  progress?: ProgressFn,
  parseAhead = true,
): Promise<LruStackDistance> {
  const sd = new LruStackDistance(WINDOW, depth);
  if (Number.isFinite(depth) || !parseAhead || !parsesAhead(path)) {
    await streamerFor(path, parseAhead)(path, format, trace, (keys, _w, n) => sd.push(keys, n), progress);
    return sd;
  }
  const count = (_k: Float64Array, _w: Uint8Array | undefined, n: number, prev?: Int32Array) =>
    sd.pushPrevious(prev!, n);
  await streamTraceAhead(path, format, trace, count, progress, undefined, undefined, WINDOW);
  return sd;
}
