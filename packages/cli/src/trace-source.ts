/**
 * Streams a trace file through a core parser: chunks from `readChunks` (gzip and zstd
 * undone on the fly), the format detected from the first chunk when asked for `auto`, and
 * a malformed record turned into `FILE:LINE: expected …, found …` (a `UsageError`, exit 2).
 * The loop itself is in trace-stream.ts, shared with the parse thread (parse-ahead.ts).
 */
import { createTraceParser, detectTraceFormat, parseTraceFormat } from "@memsim/core";
import { UsageError } from "./io.js";
import { type FormatChoice, streamTraceWith, type TraceStreamer } from "./trace-stream.js";

export type { FormatChoice, ProgressFn, TraceStreamer } from "./trace-stream.js";

/** Checks a `--format` value. */
export function formatChoice(value: string): FormatChoice {
  if (value === "auto") return "auto";
  const f = parseTraceFormat(value);
  if (f === undefined)
    throw new UsageError(`--format: expected auto, refs, lackey, csv or oracle-general, found "${value}"`);
  return f;
}

/** `TraceStreamer` in this thread, with the core's parsers. */
export const streamTrace: TraceStreamer = (...args) =>
  streamTraceWith({ createTraceParser, detectTraceFormat }, ...args);
