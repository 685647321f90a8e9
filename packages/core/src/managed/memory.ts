/**
 * Where the Python runtime's memory comes from. pymalloc asks for whole arenas (CPython
 * mmaps them), and requests above 512 bytes go to the C heap (`malloc`). The runtime only
 * needs addresses and byte counts; a kernel-backed implementation maps the arenas into a
 * process's address space so Python memory shows in its RSS and in the frame map.
 */
export interface ObjectMemory {
  /** Maps `bytes` of fresh anonymous memory; returns its address, or null when memory is exhausted. */
  mapArena(bytes: number): number | null;
  /** Unmaps a range that `mapArena` returned (same address and size). */
  unmapArena(addr: number, bytes: number): void;
  /** `malloc(bytes)` on the C heap; the address, or null when memory is exhausted. */
  mallocLarge(bytes: number): number | null;
  /** `free(addr)` of an address `mallocLarge` returned. */
  freeLarge(addr: number): void;
  /** Bytes currently mapped as arenas plus bytes currently malloc'ed. */
  residentBytes(): number;
  /**
   * Optional: the allocator wrote `bytes` at `addr` (a pool header when a pool is carved, an
   * object header when a block is handed out). A kernel-backed memory turns this into a
   * write access, so pages fault in on first use and RSS grows as CPython's does.
   */
  touch?(addr: number, bytes: number): void;
}

/** Linux's usual x86-64 layout: the mmap area grows down from below the stack. */
const MMAP_TOP = 0x7f0000001000;
/** The C heap starts above the program image, as brk does. */
const HEAP_BASE = 0x555555560000;
const PAGE = 4096;

/**
 * A standalone `ObjectMemory`: pure address bookkeeping, no bytes. Arenas are handed out
 * top-down from the mmap area on page (not pool) alignment, as a real mmap does, and freed
 * ranges of the same size are reused; large blocks are carved from a brk-style heap with
 * exact-size reuse. `limitBytes` (optional) makes allocations fail like an exhausted machine.
 */
export class FlatObjectMemory implements ObjectMemory {
  private mmapCursor = MMAP_TOP;
  private brk = HEAP_BASE;
  private readonly freeRanges = new Map<number, number[]>();
  private readonly freeLargeBySize = new Map<number, number[]>();
  private readonly largeSize = new Map<number, number>();
  private mapped = 0;
  private malloced = 0;

  constructor(private readonly limitBytes = Number.POSITIVE_INFINITY) {}

  mapArena(bytes: number): number | null {
    const len = Math.ceil(bytes / PAGE) * PAGE;
    if (this.mapped + this.malloced + len > this.limitBytes) return null;
    const reuse = this.freeRanges.get(len);
    let addr: number;
    if (reuse !== undefined && reuse.length > 0) addr = reuse.pop() as number;
    else {
      this.mmapCursor -= len;
      addr = this.mmapCursor;
    }
    this.mapped += len;
    return addr;
  }

  unmapArena(addr: number, bytes: number): void {
    const len = Math.ceil(bytes / PAGE) * PAGE;
    pushTo(this.freeRanges, len, addr);
    this.mapped -= len;
  }

  mallocLarge(bytes: number): number | null {
    const len = Math.ceil((bytes + 16) / 16) * 16;
    if (this.mapped + this.malloced + len > this.limitBytes) return null;
    const reuse = this.freeLargeBySize.get(len);
    let addr: number;
    if (reuse !== undefined && reuse.length > 0) addr = reuse.pop() as number;
    else {
      addr = this.brk + 16;
      this.brk += len;
    }
    this.largeSize.set(addr, len);
    this.malloced += len;
    return addr;
  }

  freeLarge(addr: number): void {
    const len = this.largeSize.get(addr);
    if (len === undefined) return;
    this.largeSize.delete(addr);
    pushTo(this.freeLargeBySize, len, addr);
    this.malloced -= len;
  }

  residentBytes(): number {
    return this.mapped + this.malloced;
  }
}

function pushTo(m: Map<number, number[]>, key: number, v: number): void {
  const list = m.get(key);
  if (list === undefined) m.set(key, [v]);
  else list.push(v);
}
