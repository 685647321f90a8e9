/**
 * The trace streaming loop, free of any import of the core at load time: the parsers come
 * as an argument. `streamTrace` (trace-source.ts) runs it with the core's parsers; the
 * parse thread (parse-ahead.ts) runs the same loop after loading only the core's trace
 * module, so it starts in a few milliseconds instead of loading the whole engine.
 */
import { statSync } from "node:fs";
import type { RefSink, TraceFormat, TraceOptions, TraceParser } from "@memsim/core";
import { readChunks } from "./input.js";
import { UsageError } from "./io.js";

/** `auto` or a concrete format. */
export type FormatChoice = TraceFormat | "auto";

/**
 * Progress of a stream: bytes read so far, the total when known, and, from a single
 * stream, the references those bytes held (parsed, not necessarily delivered yet).
 */
export type ProgressFn = (bytesRead: number, totalBytes: number | undefined, references?: number) => void;

/** The two core functions the loop needs (the core's trace module provides them). */
export interface TraceParsers {
  createTraceParser(format: TraceFormat, sink: RefSink, options?: TraceOptions): TraceParser;
  detectTraceFormat(head: Uint8Array, name?: string): TraceFormat;
}

/**
 * Reads `path` to the end, sending every reference batch to `sink`; resolves to the format
 * used and the number of references. Throws `UsageError` for unreadable files, bad
 * options and malformed records (`FILE:LINE: expected …, found …`).
 */
export type TraceStreamer = (
  path: string,
  format: FormatChoice,
  options: TraceOptions,
  sink: RefSink,
  progress?: ProgressFn,
) => Promise<{ format: TraceFormat; references: number }>;

/**
 * Where a stream starts when another thread has parsed the file's beginning: the bytes it
 * took (a whole number of fixed-size records of an uncompressed file) and the references
 * they held. Progress and record numbers in messages count from the file's start.
 */
export interface StreamStart {
  readonly bytes: number;
  readonly references: number;
}

/** A `TraceStreamer` that parses with `parsers` (from `from`, when given: `format` must be concrete). */
export async function streamTraceWith(
  parsers: TraceParsers,
  ...[path, format, options, sink, progress, from]: [...Parameters<TraceStreamer>, StreamStart?]
): ReturnType<TraceStreamer> {
  let total: number | undefined;
  if (path !== "-") {
    try {
      total = statSync(path).size;
    } catch {
      total = undefined; // readChunks reports the problem
    }
  }
  let parser: TraceParser | undefined;
  let chosen: TraceFormat = format === "auto" ? "refs" : format;
  const skip = from?.references ?? 0;
  let read = from?.bytes ?? 0;
  let compressed = false;
  for await (const chunk of readChunks(path, undefined, from?.bytes)) {
    if (parser === undefined) {
      compressed = total !== undefined && chunk.length > 0 && hasCompressedName(path);
      if (format === "auto") chosen = parsers.detectTraceFormat(chunk, path);
      try {
        parser = parsers.createTraceParser(chosen, sink, options);
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
      }
    }
    const err = parser.push(chunk);
    if (err) throw new UsageError(`${path}:${err.line + skip}: ${err.message}`);
    read += chunk.length;
    progress?.(read, compressed ? undefined : total, skip + parser.references);
  }
  if (parser === undefined) return { format: chosen, references: skip };
  const err = parser.end();
  if (err) throw new UsageError(`${path}:${err.line + skip}: ${err.message}`);
  return { format: chosen, references: skip + parser.references };
}

/** True for a compressed file name: its size says nothing about the decompressed bytes (no percentage). */
function hasCompressedName(path: string): boolean {
  return /\.(gz|zst|zstd)$/i.test(path);
}
