/**
 * `refs`: page numbers separated by whitespace or commas, any number per line
 * (`1,2,3,4,1,2,5` or one per line). A page number is decimal or `0x` hex, optionally
 * followed by `w` (a store, which dirties the page) or `r`; `#` starts a comment to the
 * end of the line. One byte-level state machine over whole chunks (no line splitting, no
 * strings): the format's speed is the text-trace speed.
 */
import type { InputError } from "../base/errors.js";
import { BatchWriter, expectedFound, type RefSink, showBytes, type TraceParser } from "./batch.js";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

// Parser states.
const GAP = 0; // between numbers
const DEC = 1; // inside decimal digits
const HEX0 = 2; // after a leading 0 (may become 0x)
const HEX = 3; // inside hex digits after 0x
const SUFFIX = 4; // after r/w, a separator must follow
const COMMENT = 5;

export class RefsParser implements TraceParser {
  private readonly out: BatchWriter;
  private state = GAP;
  private value = 0;
  private digits = 0;
  private write = 0;
  private line = 1;

  constructor(sink: RefSink, batchSize?: number) {
    this.out = new BatchWriter(sink, true, batchSize);
  }

  get references(): number {
    return this.out.emitted;
  }

  push(chunk: Uint8Array): InputError | null {
    const out = this.out;
    const keys = out.keys;
    const writes = out.writes;
    const cap = keys.length;
    let count = out.count;
    let state = this.state;
    let value = this.value;
    let line = this.line;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (state === DEC) {
        const d = c - 48;
        if (d >= 0 && d <= 9) {
          value = value * 10 + d;
          if (value > MAX_SAFE) return this.fail(line, "a page number below 2^53", "a longer number");
          continue;
        }
      } else if (state === GAP) {
        const d = c - 48;
        if (d >= 1 && d <= 9) {
          // Fast path: the whole decimal number, and a newline after it, in one go.
          let v = d;
          let j = i + 1;
          for (; j < chunk.length; j++) {
            const e = chunk[j]! - 48;
            if (e < 0 || e > 9) break;
            v = v * 10 + e;
          }
          if (v > MAX_SAFE) return this.fail(line, "a page number below 2^53", "a longer number");
          if (j < chunk.length && chunk[j] === 10) {
            keys[count] = v;
            writes[count] = 0;
            if (++count === cap) {
              out.count = count;
              out.flush();
              count = 0;
            }
            line++;
            i = j;
            continue;
          }
          state = DEC;
          value = v;
          i = j - 1;
          continue;
        }
        if (d === 0) {
          state = HEX0;
          value = 0;
          continue;
        }
        if (c === 10) line++;
        else if (c === 35) state = COMMENT;
        else if (c !== 32 && c !== 44 && c !== 9 && c !== 13)
          return this.fail(line, "a page number", showBytes(chunk, i, tokenEnd(chunk, i)));
        continue;
      } else if (state === COMMENT) {
        if (c === 10) {
          line++;
          state = GAP;
        }
        continue;
      } else if (state === HEX0) {
        if (c === 120 || c === 88) {
          state = HEX;
          this.digits = 0;
          continue;
        }
        const d = c - 48;
        if (d >= 0 && d <= 9) {
          state = DEC;
          value = d;
          continue;
        }
      } else if (state === HEX) {
        const h = hexDigit(c);
        if (h >= 0) {
          value = value * 16 + h;
          this.digits++;
          if (value > MAX_SAFE) return this.fail(line, "a page number below 2^53", "a longer number");
          continue;
        }
        if (this.digits === 0) return this.fail(line, "hex digits after 0x", showBytes(chunk, i, i + 1));
      }
      // The end of a number (states DEC, HEX0, HEX) or the byte after a suffix.
      if (state !== SUFFIX) {
        if (c === 119 || c === 87 || c === 114 || c === 82) {
          this.write = c === 119 || c === 87 ? 1 : 0;
          state = SUFFIX;
          continue;
        }
        out.count = count;
        out.add(value, 0);
        count = out.count;
      } else {
        out.count = count;
        out.add(value, this.write);
        count = out.count;
      }
      state = GAP;
      if (c === 10) line++;
      else if (c === 35) state = COMMENT;
      else if (c !== 32 && c !== 44 && c !== 9 && c !== 13)
        return this.fail(line, "a separator (space, comma or newline)", showBytes(chunk, i, i + 1));
    }
    out.count = count;
    this.state = state;
    this.value = value;
    this.line = line;
    return null;
  }

  end(): InputError | null {
    if (this.state === DEC || this.state === HEX0 || this.state === HEX || this.state === SUFFIX) {
      if (this.state === HEX && this.digits === 0)
        return this.fail(this.line, "hex digits after 0x", "end of file");
      this.out.add(this.value, this.state === SUFFIX ? this.write : 0);
    }
    this.state = GAP;
    this.out.flush();
    return null;
  }

  private fail(line: number, expected: string, found: string): InputError {
    this.state = COMMENT;
    return expectedFound(line, expected, found);
  }
}

/** The end of the token starting at `i` (the next space, comma or line break). */
function tokenEnd(buf: Uint8Array, i: number): number {
  let e = i;
  while (e < buf.length && e - i < 24) {
    const c = buf[e]!;
    if (c === 32 || c === 44 || c === 10 || c === 13 || c === 9) break;
    e++;
  }
  return e;
}

/** The value of an ASCII hex digit, or -1. */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
