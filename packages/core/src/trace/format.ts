/**
 * Trace formats by name, detection from the first bytes, and one factory for the parsers.
 */

import type { RefSink, TraceParser } from "./batch.js";
import { type CsvOptions, CsvParser } from "./csv.js";
import { type LackeyOptions, LackeyParser } from "./lackey.js";
import { OracleGeneralParser } from "./oracle.js";
import { RefsParser } from "./refs.js";

export const TRACE_FORMATS = ["refs", "lackey", "csv", "oracle-general"] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** Options of every format together; each parser reads its own. */
export interface TraceOptions extends LackeyOptions, CsvOptions {}

/** The format named `name` (also accepts `oracleGeneral`, `auto` is the caller's), or undefined. */
export function parseTraceFormat(name: string): TraceFormat | undefined {
  const n = name.trim().toLowerCase();
  if (n === "oraclegeneral" || n === "oracle") return "oracle-general";
  return (TRACE_FORMATS as readonly string[]).includes(n) ? (n as TraceFormat) : undefined;
}

/** A streaming parser for `format` sending batches to `sink`. Throws RangeError for bad options. */
export function createTraceParser(
  format: TraceFormat,
  sink: RefSink,
  options: TraceOptions = {},
  batchSize?: number,
): TraceParser {
  switch (format) {
    case "refs":
      return new RefsParser(sink, batchSize);
    case "lackey":
      return new LackeyParser(sink, options, batchSize);
    case "csv":
      return new CsvParser(sink, options, batchSize);
    case "oracle-general":
      return new OracleGeneralParser(sink, batchSize);
  }
}

const LACKEY_LINE = /^(?:I {2}| [LSM] )[0-9a-fA-F]+,\d+\s*$/;
const CSV_LINE = /^[^,]*(?:,[^,]*){2,}$/;

/**
 * Guesses the format from the first bytes of a (decompressed) trace: binary bytes mean
 * oracleGeneral; a Lackey record among the first lines means lackey; two or more lines with
 * the same number (three or more) of comma-separated fields mean csv (a file named
 * `*.csv` needs only one); anything else is refs. `name` is the file name, as a hint.
 */
export function detectTraceFormat(head: Uint8Array, name = ""): TraceFormat {
  const n = Math.min(head.length, 1 << 16);
  let binary = 0;
  for (let i = 0; i < n; i++) {
    const c = head[i]!;
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) binary++;
  }
  if (binary > 0) return "oracle-general";
  let text = "";
  for (let i = 0; i < n; i += 4096) text += String.fromCharCode(...head.subarray(i, Math.min(n, i + 4096)));
  const lines = text
    .split("\n")
    .slice(0, 50)
    .map((l: string) => l.replace(/\r$/, ""))
    .filter((l) => l.trim() !== "" && !l.startsWith("=="));
  // The last line may be cut by the head's end.
  if (n < head.length || n === 1 << 16) lines.pop();
  if (lines.some((l) => LACKEY_LINE.test(l))) return "lackey";
  const fields = lines.filter((l) => CSV_LINE.test(l)).map((l) => l.split(",").length);
  const consistent = fields.length === lines.length && fields.every((f) => f === fields[0]);
  if (consistent && (lines.length >= 2 || (lines.length === 1 && /\.csv(\.(gz|zst))?$/i.test(name))))
    return "csv";
  return "refs";
}
