/**
 * Reference batches: parsers fill a reusable pair of typed arrays (page keys and store
 * flags) and hand them to a sink when full, so a trace of any length streams through a
 * fixed amount of memory and nothing is allocated per reference.
 */
import type { InputError } from "../base/errors.js";

/**
 * Receives `count` references: `keys[i]` is a page number, `writes[i]` is 1 for a store
 * (undefined when the format has no stores). The arrays are reused after the call returns.
 */
export type RefSink = (keys: Float64Array, writes: Uint8Array | undefined, count: number) => void;

/** A streaming parser: feed byte chunks in order, then `end()`. */
export interface TraceParser {
  /** Parses a chunk; returns the first malformed input found (parsing must stop), else null. */
  push(chunk: Uint8Array): InputError | null;
  /** Flushes the last batch; returns an error for a truncated last record, else null. */
  end(): InputError | null;
  /** References emitted so far. */
  readonly references: number;
}

export const DEFAULT_BATCH = 1 << 16;

/** The batch buffer shared by the parsers. */
export class BatchWriter {
  readonly keys: Float64Array;
  readonly writes: Uint8Array;
  count = 0;
  total = 0;
  /** True once any reference in the current batch was a store. */
  private sawWrite = false;
  private readonly sink: RefSink;
  private readonly hasWrites: boolean;

  /** `hasWrites`: the format can mark stores (otherwise the sink gets `undefined`). */
  constructor(sink: RefSink, hasWrites: boolean, size = DEFAULT_BATCH) {
    this.sink = sink;
    this.hasWrites = hasWrites;
    this.keys = new Float64Array(size);
    this.writes = new Uint8Array(size);
  }

  /** References added so far, flushed or not (a parser's `references`). */
  get emitted(): number {
    return this.total + this.count;
  }

  add(key: number, write: number): void {
    const i = this.count;
    this.keys[i] = key;
    this.writes[i] = write;
    if (write !== 0) this.sawWrite = true;
    if (++this.count === this.keys.length) this.flush();
  }

  flush(): void {
    if (this.count === 0) return;
    this.total += this.count;
    this.sink(this.keys, this.hasWrites && this.sawWrite ? this.writes : undefined, this.count);
    this.count = 0;
    this.sawWrite = false;
  }
}

/** An input error at `line` (column unknown): `expected …, found …`. */
export function expectedFound(line: number, expected: string, found: string): InputError {
  return { line, col: 0, message: `expected ${expected}, found ${found}` };
}

/** A short, printable rendering of the bytes `buf[start..end)` for error messages. */
export function showBytes(buf: Uint8Array, start: number, end: number): string {
  if (start >= end) return "end of line";
  let s = "";
  for (let i = start; i < end && s.length < 24; i++) {
    const c = buf[i]!;
    s += c >= 32 && c < 127 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, "0")}`;
  }
  return `"${s}${end - start > 24 ? "…" : ""}"`;
}
