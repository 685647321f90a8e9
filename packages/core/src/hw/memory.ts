/**
 * Physical memory: `frameCount` frames of `pageSize` bytes in one ArrayBuffer, with
 * little-endian 1/2/4/8-byte reads and writes at physical addresses, and the frame table.
 *
 * 8-byte values are `bigint` (`read64`/`write64`), so every bit pattern round-trips; page
 * table code reads entries as two 32-bit halves (`u32`) and never needs a bigint.
 */
import { invariant } from "../base/errors.js";
import type { Pfn, PhysAddr } from "../base/units.js";
import { FrameTable, type FrameTableState } from "./frames.js";

/** A copy of physical memory, for snapshots. */
export interface PhysicalMemoryState {
  readonly bytes: Uint8Array;
  readonly frames: FrameTableState;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class PhysicalMemory {
  readonly frameCount: number;
  readonly pageSize: number;
  readonly pageShift: number;
  readonly size: number;
  readonly buffer: ArrayBuffer;
  /** Byte view (also used for 1-byte page-table entries). */
  readonly u8: Uint8Array;
  /** 32-bit word view (aligned 4- and 8-byte page-table entries; index = pa >>> 2). */
  readonly u32: Uint32Array;
  /** The same words signed (the walk's hot path: values stay small integers). */
  readonly i32: Int32Array;
  readonly view: DataView;
  readonly frameTable: FrameTable;

  /** Precondition: `pageSize` a power of two >= 4, frames * pageSize <= 2^31 (checked). */
  constructor(frameCount: number, pageSize: number) {
    invariant(LITTLE_ENDIAN, "hw.endian", "PhysicalMemory: needs a little-endian host");
    invariant(
      Number.isInteger(frameCount) && frameCount >= 1 && pageSize >= 4 && (pageSize & (pageSize - 1)) === 0,
      "hw.memory",
      `PhysicalMemory: bad geometry ${frameCount} x ${pageSize}`,
    );
    invariant(frameCount * pageSize <= 2 ** 31, "hw.memory", "PhysicalMemory: more than 2 GiB");
    this.frameCount = frameCount;
    this.pageSize = pageSize;
    this.pageShift = Math.log2(pageSize);
    this.size = frameCount * pageSize;
    this.buffer = new ArrayBuffer(this.size);
    this.u8 = new Uint8Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.view = new DataView(this.buffer);
    this.frameTable = new FrameTable(frameCount);
  }

  /** Physical address of the first byte of frame `pfn`. */
  frameAddr(pfn: Pfn): PhysAddr {
    return (pfn * this.pageSize) as PhysAddr;
  }

  /** Frame holding physical address `pa`. */
  paToPfn(pa: PhysAddr): Pfn {
    return Math.floor(pa / this.pageSize) as Pfn;
  }

  read8(pa: PhysAddr): number {
    this.check(pa, 1);
    return this.u8[pa]!;
  }
  read16(pa: PhysAddr): number {
    this.check(pa, 2);
    return this.view.getUint16(pa, true);
  }
  read32(pa: PhysAddr): number {
    this.check(pa, 4);
    return this.view.getUint32(pa, true);
  }
  read64(pa: PhysAddr): bigint {
    this.check(pa, 8);
    return this.view.getBigUint64(pa, true);
  }
  write8(pa: PhysAddr, v: number): void {
    this.check(pa, 1);
    this.u8[pa] = v;
  }
  write16(pa: PhysAddr, v: number): void {
    this.check(pa, 2);
    this.view.setUint16(pa, v, true);
  }
  write32(pa: PhysAddr, v: number): void {
    this.check(pa, 4);
    this.view.setUint32(pa, v >>> 0, true);
  }
  /** Writes the low 64 bits of `v` (two's complement for negatives). */
  write64(pa: PhysAddr, v: bigint): void {
    this.check(pa, 8);
    this.view.setBigUint64(pa, BigInt.asUintN(64, v), true);
  }

  /** Reads `size` (1, 2, 4) bytes as an unsigned number; 8 gives the value when < 2^53, else throws. */
  read(pa: PhysAddr, size: 1 | 2 | 4 | 8): number {
    if (size === 1) return this.read8(pa);
    if (size === 2) return this.read16(pa);
    if (size === 4) return this.read32(pa);
    const v = this.read64(pa);
    invariant(v <= BigInt(Number.MAX_SAFE_INTEGER), "hw.read64", `read(${pa}, 8): value exceeds 2^53`);
    return Number(v);
  }

  /** Writes `v` as `size` bytes little-endian (8: v must be a safe non-negative integer). */
  write(pa: PhysAddr, size: 1 | 2 | 4 | 8, v: number): void {
    if (size === 1) this.write8(pa, v);
    else if (size === 2) this.write16(pa, v);
    else if (size === 4) this.write32(pa, v);
    else this.write64(pa, BigInt(v));
  }

  /** Fills frame `pfn` with zero bytes. */
  zeroFrame(pfn: Pfn, n = 1): void {
    this.fillFrame(pfn, 0, n);
  }

  /** Fills `n` frames from `pfn` with `byte` (e.g. 0xaa to poison freed memory, as xv6 does). */
  fillFrame(pfn: Pfn, byte: number, n = 1): void {
    this.checkFrame(pfn, n);
    this.u8.fill(byte, pfn * this.pageSize, (pfn + n) * this.pageSize);
  }

  /** Copies frame `src` onto frame `dst` (COW break, swap-in). */
  copyFrame(dst: Pfn, src: Pfn): void {
    this.checkFrame(dst, 1);
    this.checkFrame(src, 1);
    this.u8.copyWithin(dst * this.pageSize, src * this.pageSize, (src + 1) * this.pageSize);
  }

  /** A copy of frame `pfn`'s bytes (for swap-out). */
  frameBytes(pfn: Pfn): Uint8Array {
    this.checkFrame(pfn, 1);
    return this.u8.slice(pfn * this.pageSize, (pfn + 1) * this.pageSize);
  }

  /** Overwrites frame `pfn` with `bytes` (length = page size). */
  setFrameBytes(pfn: Pfn, bytes: Uint8Array): void {
    this.checkFrame(pfn, 1);
    invariant(bytes.length === this.pageSize, "hw.frame", "setFrameBytes: length is not the page size");
    this.u8.set(bytes, pfn * this.pageSize);
  }

  /** True when every byte of frame `pfn` is zero. */
  isFrameZero(pfn: Pfn, n = 1): boolean {
    this.checkFrame(pfn, n);
    const end = (pfn + n) * this.pageSize;
    for (let i = pfn * this.pageSize; i < end; i++) if (this.u8[i] !== 0) return false;
    return true;
  }

  save(): PhysicalMemoryState {
    return { bytes: this.u8.slice(), frames: this.frameTable.save() };
  }

  load(s: PhysicalMemoryState): void {
    invariant(s.bytes.length === this.size, "hw.restore", "PhysicalMemory.load: size differs");
    this.u8.set(s.bytes);
    this.frameTable.load(s.frames);
  }

  private check(pa: number, n: number): void {
    invariant(
      Number.isInteger(pa) && pa >= 0 && pa + n <= this.size,
      "hw.pa",
      `physical access of ${n} bytes at ${pa} is outside memory (0..${this.size - 1})`,
    );
  }

  private checkFrame(pfn: number, n: number): void {
    invariant(
      Number.isInteger(pfn) && pfn >= 0 && pfn + n <= this.frameCount,
      "hw.pfn",
      `frame ${pfn} is outside 0..${this.frameCount - 1}`,
    );
  }
}
