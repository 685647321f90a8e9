/**
 * libCacheSim's `oracleGeneral` binary traces: packed little-endian 24-byte records
 *
 *   offset 0  uint32 timestamp
 *   offset 4  uint64 obj_id
 *   offset 12 uint32 obj_size
 *   offset 16 int64  next_access_vtime  (ignored: memsim computes next uses itself)
 *
 * The object id is the page key. Ids at or above 2^53 are folded into 53 bits (the high
 * bits beyond 21 are mixed into the 21 kept), so they stay exact JavaScript integers.
 * Source: libCacheSim, traceReader/oracleGeneral (the record layout it documents).
 */
import type { InputError } from "../base/errors.js";
import { BatchWriter, type RefSink, type TraceParser } from "./batch.js";

export const ORACLE_RECORD = 24;
const TWO_32 = 4294967296;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class OracleGeneralParser implements TraceParser {
  private readonly out: BatchWriter;
  private readonly carry = new Uint8Array(ORACLE_RECORD);
  private carryLen = 0;

  constructor(sink: RefSink, batchSize?: number) {
    this.out = new BatchWriter(sink, false, batchSize);
  }

  get references(): number {
    return this.out.emitted;
  }

  push(chunk: Uint8Array): InputError | null {
    let pos = 0;
    if (this.carryLen > 0) {
      const take = Math.min(ORACLE_RECORD - this.carryLen, chunk.length);
      this.carry.set(chunk.subarray(0, take), this.carryLen);
      this.carryLen += take;
      pos = take;
      if (this.carryLen < ORACLE_RECORD) return null;
      this.records(this.carry, 0, 1);
      this.carryLen = 0;
    }
    const n = Math.floor((chunk.length - pos) / ORACLE_RECORD);
    this.records(chunk, pos, n);
    pos += n * ORACLE_RECORD;
    if (pos < chunk.length) {
      this.carry.set(chunk.subarray(pos), 0);
      this.carryLen = chunk.length - pos;
    }
    return null;
  }

  end(): InputError | null {
    this.out.flush();
    if (this.carryLen === 0) return null;
    const record = this.references + 1;
    return {
      line: record,
      col: 0,
      message: `expected a 24-byte oracleGeneral record, found ${this.carryLen} trailing bytes`,
    };
  }

  /** Decodes `n` records from `buf[start..]` straight into the batch. */
  private records(buf: Uint8Array, start: number, n: number): void {
    const out = this.out;
    const keys = out.keys;
    const cap = keys.length;
    // A 4-aligned little-endian buffer is read as 32-bit words (records are 6 words).
    const words =
      LITTLE_ENDIAN && (buf.byteOffset + start) % 4 === 0
        ? new Uint32Array(buf.buffer, buf.byteOffset + start, n * 6)
        : undefined;
    const dv =
      words === undefined ? new DataView(buf.buffer, buf.byteOffset + start, n * ORACLE_RECORD) : undefined;
    let count = out.count;
    for (let i = 0; i < n; i++) {
      let lo: number;
      let hi: number;
      if (words !== undefined) {
        lo = words[6 * i + 1]!;
        hi = words[6 * i + 2]!;
      } else {
        lo = dv!.getUint32(24 * i + 4, true);
        hi = dv!.getUint32(24 * i + 8, true);
      }
      if (hi >= 0x200000) hi = (hi ^ Math.imul(hi >>> 21, 0x9e3779b1)) & 0x1fffff;
      keys[count] = hi * TWO_32 + lo;
      if (++count === cap) {
        out.count = count;
        out.flush();
        count = 0;
      }
    }
    out.count = count;
  }
}
