/**
 * Line splitting over byte chunks for the line-oriented formats: complete lines are parsed
 * in place inside the chunk; only a line cut by a chunk boundary is copied (into a carry
 * buffer that grows as needed). A trailing `\r` is dropped, so CRLF files parse too.
 */
import type { InputError } from "../base/errors.js";
import { BatchWriter, type RefSink, type TraceParser } from "./batch.js";

/** Parses one line `buf[start..end)` (no newline); returns an error or null. */
export type LineHandler = (buf: Uint8Array, start: number, end: number, lineNo: number) => InputError | null;

export class LineSplitter {
  private carry = new Uint8Array(256);
  private carryLen = 0;
  lineNo = 0;
  private readonly handle: LineHandler;

  constructor(handle: LineHandler) {
    this.handle = handle;
  }

  push(chunk: Uint8Array): InputError | null {
    let pos = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(10);
      const upto = nl < 0 ? chunk.length : nl;
      this.append(chunk, 0, upto);
      if (nl < 0) return null;
      const err = this.emit(this.carry, 0, this.carryLen);
      this.carryLen = 0;
      if (err) return err;
      pos = nl + 1;
    }
    for (let nl = chunk.indexOf(10, pos); nl >= 0; nl = chunk.indexOf(10, pos)) {
      const err = this.emit(chunk, pos, nl);
      if (err) return err;
      pos = nl + 1;
    }
    if (pos < chunk.length) this.append(chunk, pos, chunk.length);
    return null;
  }

  end(): InputError | null {
    if (this.carryLen === 0) return null;
    const err = this.emit(this.carry, 0, this.carryLen);
    this.carryLen = 0;
    return err;
  }

  private emit(buf: Uint8Array, start: number, end: number): InputError | null {
    this.lineNo++;
    if (end > start && buf[end - 1] === 13) end--;
    return this.handle(buf, start, end, this.lineNo);
  }

  private append(src: Uint8Array, start: number, end: number): void {
    const need = this.carryLen + (end - start);
    if (need > this.carry.length) {
      const bigger = new Uint8Array(Math.max(need, this.carry.length * 2));
      bigger.set(this.carry.subarray(0, this.carryLen));
      this.carry = bigger;
    }
    this.carry.set(src.subarray(start, end), this.carryLen);
    this.carryLen = need;
  }
}

/**
 * A line-oriented trace format: the subclass parses one line at a time (`line`, called
 * with 1-based line numbers, empty lines included) and adds its references to `out`;
 * splitting, batching and the final flush are done here once.
 */
export abstract class LineTraceParser implements TraceParser {
  protected readonly out: BatchWriter;
  private readonly lines: LineSplitter;

  /** `hasWrites`: the format can mark stores (see BatchWriter). */
  constructor(sink: RefSink, hasWrites: boolean, batchSize?: number) {
    this.out = new BatchWriter(sink, hasWrites, batchSize);
    this.lines = new LineSplitter((b, s, e, n) => this.line(b, s, e, n));
  }

  get references(): number {
    return this.out.emitted;
  }

  push(chunk: Uint8Array): InputError | null {
    return this.lines.push(chunk);
  }

  end(): InputError | null {
    const err = this.lines.end();
    this.out.flush();
    return err;
  }

  /** Parses the line `buf[start..end)` (no newline); returns an error or null. */
  protected abstract line(buf: Uint8Array, start: number, end: number, lineNo: number): InputError | null;
}
