/**
 * Valgrind Lackey memory traces (`valgrind --tool=lackey --trace-mem=yes`):
 *
 *   I  0401ab70,3      instruction fetch ("I" then two spaces)
 *    L 1fff000738,8    data load  (leading space)
 *    S 1fff000730,8    data store
 *    M 0025747c,1      modify: a load and a store of the same bytes
 *   ==12345== ...      Lackey's banner and totals: skipped
 *
 * Byte addresses map to page numbers by the page size; an access whose bytes cross a
 * page boundary references every page it touches, in address order. `S` and `M` dirty the
 * pages (an `M` is one reference, a store). With `ifetch: false` the `I` lines are dropped.
 * Addresses are read as two 32-bit halves, so all 64 bits are exact.
 * Source: Valgrind user manual, "Lackey: an example tool"; lackey/lk_main.c.
 */
import type { InputError } from "../base/errors.js";
import { expectedFound, type RefSink, showBytes } from "./batch.js";
import { LineTraceParser } from "./lines.js";
import { hexDigit } from "./refs.js";

export interface LackeyOptions {
  /** Bytes per page, a power of two (default 4096). */
  readonly pageSize?: number;
  /** Include instruction fetches (`I` lines); default true. */
  readonly ifetch?: boolean;
}

const TWO_32 = 4294967296;

export class LackeyParser extends LineTraceParser {
  private readonly shift: number;
  private readonly ifetch: boolean;

  constructor(sink: RefSink, options: LackeyOptions = {}, batchSize?: number) {
    super(sink, true, batchSize);
    const pageSize = options.pageSize ?? 4096;
    if (!Number.isInteger(Math.log2(pageSize)) || pageSize < 1 || pageSize > 2 ** 30)
      throw new RangeError(`page size must be a power of two up to 2^30, got ${pageSize}`);
    this.shift = Math.log2(pageSize);
    this.ifetch = options.ifetch ?? true;
  }

  protected override line(buf: Uint8Array, start: number, end: number, lineNo: number): InputError | null {
    if (start === end) return null;
    const c0 = buf[start]!;
    if (c0 === 61) return null; // "==PID== ..."
    let write = 0;
    let p = start;
    if (c0 === 73 && buf[start + 1] === 32 && buf[start + 2] === 32) {
      if (!this.ifetch) return null;
      p = start + 3;
    } else if (c0 === 32 && buf[start + 2] === 32) {
      const op = buf[start + 1];
      if (op === 83 || op === 77) write = 1;
      else if (op !== 76) return expectedFound(lineNo, "I, L, S or M", showBytes(buf, start + 1, start + 2));
      p = start + 3;
    } else return expectedFound(lineNo, "a Lackey record like ' L 1fff000738,8'", showBytes(buf, start, end));
    // Address: hex digits into hi:lo 32-bit halves.
    let hi = 0;
    let lo = 0;
    const a0 = p;
    for (let h = hexDigit(buf[p] ?? 0); p < end && h >= 0; h = hexDigit(buf[++p] ?? 0)) {
      hi = ((hi << 4) | (lo >>> 28)) >>> 0;
      lo = ((lo << 4) | h) >>> 0;
    }
    if (p === a0 || p - a0 > 16) return expectedFound(lineNo, "a hex address", showBytes(buf, a0, end));
    if (buf[p] !== 44 || p >= end) return expectedFound(lineNo, "',' and a size", showBytes(buf, p, end));
    p++;
    let size = 0;
    const s0 = p;
    for (; p < end; p++) {
      const d = buf[p]! - 48;
      if (d < 0 || d > 9) break;
      size = size * 10 + d;
    }
    if (p === s0 || size === 0 || size > 1 << 20)
      return expectedFound(lineNo, "an access size in bytes", showBytes(buf, s0, end));
    for (; p < end; p++) {
      const c = buf[p]!;
      if (c !== 32 && c !== 9) return expectedFound(lineNo, "end of line", showBytes(buf, p, end));
    }
    this.emit(hi, lo, size, write);
    return null;
  }

  /** References every page of the bytes [addr, addr+size). */
  private emit(hi: number, lo: number, size: number, write: number): void {
    const shift = this.shift;
    // Page number of the first byte: exact for 64-bit addresses (hi * 2^(32-shift) < 2^52).
    const first = hi * 2 ** (32 - shift) + Math.floor(lo / 2 ** shift);
    const lastLo = lo + size - 1; // may pass 2^32: then the high half grows by one
    const last =
      (hi + Math.floor(lastLo / TWO_32)) * 2 ** (32 - shift) + Math.floor((lastLo % TWO_32) / 2 ** shift);
    for (let page = first; page <= last; page++) this.out.add(page, write);
  }
}
