/**
 * The memory a C heap lives in. An allocator never holds its blocks in JavaScript objects:
 * headers, footers and free-list links are bytes read and written through a `HeapBacking`,
 * so what a student sees in a hex dump is what the allocator uses.
 *
 * Two backings exist: `ArenaBacking` below (a growable typed array, for trace replay and
 * benchmarks) and the kernel's process address space (brk/sbrk, mmap/munmap and loads and
 * stores through the MMU), adapted in a few lines by whoever owns the process.
 *
 * Addresses are plain numbers, exact up to 2^53. Multi-byte values are little-endian.
 */
export interface HeapBacking {
  read8(addr: number): number;
  read16(addr: number): number;
  read32(addr: number): number;
  /** An 8-byte word as a number; exact when the value is below 2^53 (every address is). */
  read64(addr: number): number;
  write8(addr: number, value: number): void;
  write16(addr: number, value: number): void;
  write32(addr: number, value: number): void;
  /** Stores a non-negative integer below 2^53 as an 8-byte word. */
  write64(addr: number, value: number): void;
  /** Sets `len` bytes from `addr` to `value` (memset). */
  fill(addr: number, len: number, value: number): void;
  /** Copies `len` bytes from `src` to `dst`; the ranges may overlap (memmove). */
  copy(dst: number, src: number, len: number): void;
  /**
   * Moves the program break by `delta` bytes (which may be negative) and returns the old
   * break, as sbrk(2) does; returns -1 and changes nothing when the memory is not there.
   * `sbrk(0)` reports the current break.
   */
  sbrk(delta: number): number;
  /**
   * Maps `len` bytes (a multiple of the page size) of zeroed anonymous memory and returns
   * its page-aligned address, or -1 when it cannot.
   */
  mmap(len: number): number;
  /** Unmaps a range returned by `mmap` (whole mapping). Returns false when it was not mapped. */
  munmap(addr: number, len: number): boolean;
  /** The page size mappings are rounded to (4096 on x86-64). */
  readonly pageSize: number;
}

/** Where `ArenaBacking` puts the heap and the mappings unless told otherwise. */
export const ARENA_HEAP_BASE = 0x0100_0000;
export const ARENA_MMAP_TOP = 0x7f00_0000_0000;

export interface ArenaOptions {
  /** The initial program break (16-byte aligned). */
  readonly base?: number;
  /** The largest heap (brk region) allowed, in bytes; sbrk beyond it fails. */
  readonly maxHeap?: number;
  /** The most bytes all mappings together may hold; mmap beyond it fails. */
  readonly maxMapped?: number;
  readonly pageSize?: number;
  /** Bytes of brk-region buffer to allocate up front (it still grows past them on demand). */
  readonly reserve?: number;
}

interface Mapping {
  readonly addr: number;
  readonly bytes: Uint8Array;
}

/**
 * A standalone backing: the brk region is one growable buffer starting at `base`, each
 * mmap is its own buffer placed top-down below `ARENA_MMAP_TOP`. Reads and writes in the
 * brk region are typed-array accesses (4- and 8-byte ones through aligned word views when
 * the address is aligned), so allocators run at full speed on it.
 */
export class ArenaBacking implements HeapBacking {
  readonly pageSize: number;
  private readonly base: number;
  private readonly maxHeap: number;
  private readonly maxMapped: number;
  private u8: Uint8Array;
  private u32: Uint32Array;
  private view: DataView;
  private brk: number;
  private mapped = 0;
  private mmapNext = ARENA_MMAP_TOP;
  private readonly maps = new Map<number, Mapping>();
  private lastMap: Mapping | undefined;

  constructor(opts: ArenaOptions = {}) {
    this.base = opts.base ?? ARENA_HEAP_BASE;
    this.maxHeap = opts.maxHeap ?? 1 << 30;
    this.maxMapped = opts.maxMapped ?? 2 ** 32;
    this.pageSize = opts.pageSize ?? 4096;
    this.brk = this.base;
    this.u8 = new Uint8Array(Math.max(1 << 16, Math.min(opts.reserve ?? 0, this.maxHeap + 8)));
    this.u32 = new Uint32Array(this.u8.buffer);
    this.view = new DataView(this.u8.buffer);
  }

  /** Bytes currently between the heap base and the break. */
  get heapSize(): number {
    return this.brk - this.base;
  }

  /** Bytes currently mapped with mmap. */
  get mappedBytes(): number {
    return this.mapped;
  }

  sbrk(delta: number): number {
    const old = this.brk;
    const size = old - this.base + delta;
    if (size < 0 || size > this.maxHeap) return -1;
    if (size > this.u8.length) this.grow(size);
    if (delta < 0) this.u8.fill(0, size, old - this.base);
    this.brk = old + delta;
    return old;
  }

  private grow(need: number): void {
    let cap = this.u8.length;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(Math.min(cap, Math.max(need, this.maxHeap + 8)));
    next.set(this.u8);
    this.u8 = next;
    this.u32 = new Uint32Array(next.buffer, 0, next.length >>> 2);
    this.view = new DataView(next.buffer);
  }

  mmap(len: number): number {
    if (len <= 0 || len % this.pageSize !== 0 || this.mapped + len > this.maxMapped) return -1;
    this.mmapNext -= len;
    const m: Mapping = { addr: this.mmapNext, bytes: new Uint8Array(len) };
    this.maps.set(m.addr, m);
    this.mapped += len;
    return m.addr;
  }

  munmap(addr: number, len: number): boolean {
    const m = this.maps.get(addr);
    if (!m || m.bytes.length !== len) return false;
    this.maps.delete(addr);
    if (this.lastMap === m) this.lastMap = undefined;
    this.mapped -= len;
    return true;
  }

  /** The mapping holding `addr`, or a SimError-free failure: reads outside are zero, writes dropped. */
  private mappingAt(addr: number): Mapping | undefined {
    const last = this.lastMap;
    if (last && addr >= last.addr && addr < last.addr + last.bytes.length) return last;
    for (const m of this.maps.values()) {
      if (addr >= m.addr && addr < m.addr + m.bytes.length) {
        this.lastMap = m;
        return m;
      }
    }
    return undefined;
  }

  read8(addr: number): number {
    const o = addr - this.base;
    if (o >= 0 && o < this.u8.length) return this.u8[o]!;
    const m = this.mappingAt(addr);
    return m ? m.bytes[addr - m.addr]! : 0;
  }

  write8(addr: number, value: number): void {
    const o = addr - this.base;
    if (o >= 0 && o < this.u8.length) this.u8[o] = value;
    else {
      const m = this.mappingAt(addr);
      if (m) m.bytes[addr - m.addr] = value;
    }
  }

  read16(addr: number): number {
    return this.read8(addr) | (this.read8(addr + 1) << 8);
  }

  write16(addr: number, value: number): void {
    this.write8(addr, value & 0xff);
    this.write8(addr + 1, (value >>> 8) & 0xff);
  }

  read32(addr: number): number {
    const o = addr - this.base;
    if ((o & 3) === 0 && o >= 0 && o + 4 <= this.u8.length) return this.u32[o >>> 2]!;
    if (o >= 0 && o + 4 <= this.u8.length) return this.view.getUint32(o, true);
    return (this.read16(addr) + this.read16(addr + 2) * 0x10000) >>> 0;
  }

  write32(addr: number, value: number): void {
    const o = addr - this.base;
    if ((o & 3) === 0 && o >= 0 && o + 4 <= this.u8.length) this.u32[o >>> 2] = value;
    else if (o >= 0 && o + 4 <= this.u8.length) this.view.setUint32(o, value >>> 0, true);
    else {
      this.write16(addr, value & 0xffff);
      this.write16(addr + 2, (value >>> 16) & 0xffff);
    }
  }

  read64(addr: number): number {
    const o = addr - this.base;
    if ((o & 7) === 0 && o >= 0 && o < this.u8.length) {
      const i = o >>> 2;
      const hi = this.u32[i + 1]!;
      return hi === 0 ? this.u32[i]! : this.u32[i]! + hi * 4294967296;
    }
    return this.read64Slow(addr);
  }

  /** Kept out of `read64` so that the fast path stays small enough to inline. */
  private read64Slow(addr: number): number {
    return this.read32(addr) + this.read32(addr + 4) * 4294967296;
  }

  write64(addr: number, value: number): void {
    const o = addr - this.base;
    if ((o & 7) === 0 && o >= 0 && o < this.u8.length) {
      const i = o >>> 2;
      this.u32[i] = value;
      this.u32[i + 1] = value <= 0xffffffff ? 0 : Math.floor(value / 4294967296);
      return;
    }
    this.write64Slow(addr, value);
  }

  private write64Slow(addr: number, value: number): void {
    this.write32(addr, value >>> 0);
    this.write32(addr + 4, value < 4294967296 ? 0 : Math.floor(value / 4294967296));
  }

  fill(addr: number, len: number, value: number): void {
    const o = addr - this.base;
    if (o >= 0 && o + len <= this.u8.length) {
      this.u8.fill(value, o, o + len);
      return;
    }
    const m = this.mappingAt(addr);
    if (m && addr + len <= m.addr + m.bytes.length) m.bytes.fill(value, addr - m.addr, addr - m.addr + len);
    else for (let i = 0; i < len; i++) this.write8(addr + i, value);
  }

  copy(dst: number, src: number, len: number): void {
    const od = dst - this.base;
    const os = src - this.base;
    const n = this.u8.length;
    if (od >= 0 && od + len <= n && os >= 0 && os + len <= n) {
      this.u8.copyWithin(od, os, os + len);
      return;
    }
    if (dst > src) for (let i = len - 1; i >= 0; i--) this.write8(dst + i, this.read8(src + i));
    else for (let i = 0; i < len; i++) this.write8(dst + i, this.read8(src + i));
  }
}
