/**
 * The one-pass LRU stack-distance pass over a trace file, as `memsim mrc` runs it. Without
 * a depth, and when the file is parsed in a second thread, that thread also looks up each
 * reference's previous time (the core's `PreviousTimes`) and this one only counts
 * (`LruStackDistance.pushPrevious`): the lookups are a fifth of the pass's work, and the
 * parse thread has time to spare. Otherwise this thread does both (`push`).
 */
import { LruStackDistance, type TraceOptions } from "@memsim/core";
import { type SpawnParseWorker, streamTraceAhead } from "./parse-ahead.js";
import { parsesAhead, streamerFor } from "./sweep.js";
import type { FormatChoice, ProgressFn } from "./trace-stream.js";

/** The pass's first window of times. */
const WINDOW = 1 << 16;

/**
 * Stack distances of every reference in `path`; with `depth`, the stack is bounded there
 * (exact for sizes up to it, memory and time following it). `ahead: false` keeps the
 * parsing in this thread; a function starts the parse thread with it (and uses one even
 * where `parsesAhead` would not).
 */
export async function lruStackPass(
  path: string,
  format: FormatChoice,
  trace: TraceOptions,
  depth = Number.POSITIVE_INFINITY,
  progress?: ProgressFn,
  ahead: boolean | SpawnParseWorker = true,
): Promise<LruStackDistance> {
  const sd = new LruStackDistance(WINDOW, depth);
  const spawn = typeof ahead === "function" ? ahead : undefined;
  if (Number.isFinite(depth) || ahead === false || (spawn === undefined && !parsesAhead(path))) {
    await streamerFor(path, ahead !== false)(
      path,
      format,
      trace,
      (keys, _w, n) => sd.push(keys, n),
      progress,
    );
    return sd;
  }
  const count = (_k: Float64Array, _w: Uint8Array | undefined, n: number, prev?: Int32Array) =>
    sd.pushPrevious(prev!, n);
  await streamTraceAhead(path, format, trace, count, progress, spawn, undefined, WINDOW);
  return sd;
}
