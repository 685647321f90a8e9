/**
 * Streams a trace file through a core parser: chunks from `readChunks` (gzip and zstd
 * undone on the fly), the format detected from the first chunk when asked for `auto`, and
 * a malformed record turned into `FILE:LINE: expected …, found …` (a `UsageError`, exit 2).
 */
import { statSync } from "node:fs";
import {
  createTraceParser,
  detectTraceFormat,
  parseTraceFormat,
  type RefSink,
  type TraceFormat,
  type TraceOptions,
} from "@memsim/core";
import { readChunks } from "./input.js";
import { UsageError } from "./io.js";

/** `auto` or a concrete format. */
export type FormatChoice = TraceFormat | "auto";

/** Checks a `--format` value. */
export function formatChoice(value: string): FormatChoice {
  if (value === "auto") return "auto";
  const f = parseTraceFormat(value);
  if (f === undefined)
    throw new UsageError(`--format: expected auto, refs, lackey, csv or oracle-general, found "${value}"`);
  return f;
}

/** Progress of a stream: bytes read so far and, when known, the total. */
export type ProgressFn = (bytesRead: number, totalBytes: number | undefined) => void;

/**
 * Reads `path` to the end, sending every reference batch to `sink`; returns the format
 * used and the number of references. Throws `UsageError` for unreadable files, bad
 * options and malformed records.
 */
export async function streamTrace(
  path: string,
  format: FormatChoice,
  options: TraceOptions,
  sink: RefSink,
  progress?: ProgressFn,
): Promise<{ format: TraceFormat; references: number }> {
  let total: number | undefined;
  if (path !== "-") {
    try {
      total = statSync(path).size;
    } catch {
      total = undefined; // readChunks reports the problem
    }
  }
  let parser: ReturnType<typeof createTraceParser> | undefined;
  let chosen: TraceFormat = format === "auto" ? "refs" : format;
  let read = 0;
  let compressed = false;
  for await (const chunk of readChunks(path)) {
    if (parser === undefined) {
      compressed = total !== undefined && chunk.length > 0 && hasCompressedName(path);
      if (format === "auto") chosen = detectTraceFormat(chunk, path);
      try {
        parser = createTraceParser(chosen, sink, options);
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
      }
    }
    const err = parser.push(chunk);
    if (err) throw new UsageError(`${path}:${err.line}: ${err.message}`);
    read += chunk.length;
    progress?.(read, compressed ? undefined : total);
  }
  if (parser === undefined) return { format: chosen, references: 0 };
  const err = parser.end();
  if (err) throw new UsageError(`${path}:${err.line}: ${err.message}`);
  return { format: chosen, references: parser.references };
}

/** True for a compressed file name: its size says nothing about the decompressed bytes (no percentage). */
function hasCompressedName(path: string): boolean {
  return /\.(gz|zst|zstd)$/i.test(path);
}
