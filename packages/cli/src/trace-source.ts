/**
 * Streams a trace file through a core parser: chunks from `readChunks` (gzip and zstd
 * undone on the fly), the format detected from the first chunk when asked for `auto`, and
 * a malformed record turned into `FILE:LINE: expected …, found …` (a `UsageError`, exit 2).
 * The loop itself is in trace-stream.ts, shared with the parse thread (parse-ahead.ts).
 */
import {
  createTraceParser,
  detectTraceFormat,
  parseTraceFormat,
  type RefSink,
  type TraceFormat,
  type TraceOptions,
} from "@memsim/core";
import { UsageError } from "./io.js";
import { type FormatChoice, type ProgressFn, streamTraceWith } from "./trace-stream.js";

export type { FormatChoice, ProgressFn } from "./trace-stream.js";

/** Checks a `--format` value. */
export function formatChoice(value: string): FormatChoice {
  if (value === "auto") return "auto";
  const f = parseTraceFormat(value);
  if (f === undefined)
    throw new UsageError(`--format: expected auto, refs, lackey, csv or oracle-general, found "${value}"`);
  return f;
}

/**
 * Reads `path` to the end in this thread, sending every reference batch to `sink`;
 * returns the format used and the number of references. Throws `UsageError` for
 * unreadable files, bad options and malformed records.
 */
export function streamTrace(
  path: string,
  format: FormatChoice,
  options: TraceOptions,
  sink: RefSink,
  progress?: ProgressFn,
): Promise<{ format: TraceFormat; references: number }> {
  return streamTraceWith({ createTraceParser, detectTraceFormat }, path, format, options, sink, progress);
}
