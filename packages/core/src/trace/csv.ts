/**
 * libCacheSim's csv traces: one request per line, `time,obj_id,obj_size` by default
 * (no header). The object id is the page key; its column (1-based), the delimiter and a
 * header line are options; with `header: "auto"` a first line whose id field is not a
 * number is taken for a header. Ids longer than 15 digits (hashed 64-bit ids) are folded
 * modulo a 48-bit prime so they stay exact JavaScript integers.
 * Source: libCacheSim, traceReader/csvReader (trace type `csv`).
 */
import type { InputError } from "../base/errors.js";
import { expectedFound, type RefSink, showBytes } from "./batch.js";
import { LineTraceParser } from "./lines.js";

export interface CsvOptions {
  /** 1-based column of the object id (default 2). */
  readonly idColumn?: number;
  /** Field delimiter, one character (default ","). */
  readonly delimiter?: string;
  /** Whether line 1 is a header: true, false or "auto" (default). */
  readonly header?: boolean | "auto";
}

const FOLD = 281474976710597; // the largest prime below 2^48

export class CsvParser extends LineTraceParser {
  private readonly column: number;
  private readonly delim: number;
  private readonly header: boolean | "auto";

  constructor(sink: RefSink, options: CsvOptions = {}, batchSize?: number) {
    super(sink, false, batchSize);
    this.column = options.idColumn ?? 2;
    if (!Number.isInteger(this.column) || this.column < 1)
      throw new RangeError(`id column must be a positive integer, got ${options.idColumn}`);
    const d = options.delimiter ?? ",";
    if (d.length !== 1) throw new RangeError(`delimiter must be one character, got "${d}"`);
    this.delim = d.charCodeAt(0);
    this.header = options.header ?? "auto";
  }

  protected override line(buf: Uint8Array, start: number, end: number, lineNo: number): InputError | null {
    if (start === end) return null;
    if (lineNo === 1 && this.header === true) return null;
    // Find the id field.
    let p = start;
    for (let col = 1; col < this.column; col++) {
      const next = buf.indexOf(this.delim, p);
      if (next < 0 || next >= end)
        return expectedFound(
          lineNo,
          `at least ${this.column} fields`,
          `${col} in ${showBytes(buf, start, end)}`,
        );
      p = next + 1;
    }
    while (p < end && buf[p] === 32) p++;
    let value = 0;
    let digits = 0;
    const f0 = p;
    for (; p < end; p++) {
      const d = buf[p]! - 48;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      if (++digits > 15) value %= FOLD;
    }
    while (p < end && buf[p] === 32) p++;
    if (digits === 0 || (p < end && buf[p] !== this.delim)) {
      if (lineNo === 1 && this.header === "auto") return null;
      let fe = buf.indexOf(this.delim, f0);
      if (fe < 0 || fe > end) fe = end;
      return expectedFound(
        lineNo,
        `an object id (a number) in column ${this.column}`,
        showBytes(buf, f0, fe),
      );
    }
    this.out.add(value, 0);
    return null;
  }
}
