/**
 * The libc front of the heap: malloc, calloc, realloc, free, aligned_alloc,
 * posix_memalign, memalign and malloc_usable_size with glibc's semantics (glibc 2.36
 * malloc/malloc.c and the malloc(3) man page), over any `HeapAllocator`, with memcheck
 * optionally watching every block and every access.
 *
 * Pointers are numbers, 0 is NULL. Failures are results (0, an errno), never exceptions;
 * a bad free is a `HeapError` recorded and returned.
 */
import { alignAddrUp, type HeapAllocator } from "./allocator.js";
import { type LeakReport, leakCheck, type RootRange } from "./leakcheck.js";
import { type HeapBlock, type HeapError, Memcheck, type MemcheckOptions, type Where } from "./memcheck.js";
import type { HeapUsage } from "./memcheck-format.js";

export const EINVAL = 22;
export const ENOMEM = 12;

export interface LibcOptions {
  /** Turn memcheck on (with its options) or off (default). */
  readonly memcheck?: boolean | MemcheckOptions;
}

export class Libc {
  readonly allocator: HeapAllocator;
  readonly memcheck: Memcheck | undefined;
  /** Live blocks by the address the program holds. */
  private readonly live = new Map<number, HeapBlock>();
  private allocs = 0;
  private frees = 0;
  private bytesAllocated = 0;

  constructor(allocator: HeapAllocator, opts: LibcOptions = {}) {
    this.allocator = allocator;
    if (opts.memcheck) this.memcheck = new Memcheck(opts.memcheck === true ? {} : opts.memcheck);
  }

  /** malloc(3): a block of at least `size` bytes, or 0. */
  malloc(size: number, where: Where = []): number {
    return this.allocate(size, 16, ["malloc", ...where]);
  }

  /** calloc(3): zeroed nmemb*size bytes; 0 when the product overflows size_t or memory runs out. */
  calloc(nmemb: number, size: number, where: Where = []): number {
    const total = nmemb * size;
    if (!Number.isSafeInteger(total) || total >= 2 ** 64 || nmemb < 0 || size < 0) return 0;
    const p = this.allocate(total, 16, ["calloc", ...where]);
    if (p !== 0) this.allocator.backing.fill(p, total, 0);
    return p;
  }

  /**
   * realloc(3) as glibc: realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns 0;
   * otherwise the block grows or shrinks in place when it can, else moves (copying the
   * smaller of the two sizes). Under memcheck it always moves, as Valgrind's does, so a
   * stale pointer to the old block is caught. On failure p is left alone and 0 returned.
   */
  realloc(p: number, size: number, where: Where = []): number {
    if (p === 0) return this.allocate(size, 16, ["realloc", ...where]);
    if (size === 0) {
      this.release(p, ["realloc", ...where]);
      return 0;
    }
    const b = this.live.get(p);
    if (!b) {
      this.badFree(p, ["realloc", ...where], "realloc(): invalid pointer");
      return 0;
    }
    if (!this.memcheck && b.real === p && this.allocator.resize(p, size)) {
      this.allocs++;
      this.frees++;
      this.bytesAllocated += size;
      b.size = size;
      return p;
    }
    const q = this.allocate(size, 16, ["realloc", ...where]);
    if (q === 0) return 0;
    this.allocator.backing.copy(q, p, Math.min(size, b.size));
    this.release(p, ["realloc", ...where]);
    return q;
  }

  /** free(3): free(NULL) does nothing; a pointer that is not a live block is an error. */
  free(p: number, where: Where = []): HeapError | null {
    if (p === 0) return null;
    return this.release(p, ["free", ...where]);
  }

  /** aligned_alloc(3)/memalign(3): `align` must be a power of two, else 0 (EINVAL). */
  alignedAlloc(align: number, size: number, where: Where = [], fn = "aligned_alloc"): number {
    if (!isPowerOfTwo(align)) return 0;
    return this.allocate(size, align, [fn, ...where]);
  }

  /** posix_memalign(3): 0 and the block, EINVAL for a bad alignment, ENOMEM when out of memory. */
  posixMemalign(align: number, size: number, where: Where = []): { err: number; ptr: number } {
    if (!isPowerOfTwo(align) || align % 8 !== 0) return { err: EINVAL, ptr: 0 };
    const ptr = this.allocate(size, align, ["posix_memalign", ...where]);
    return ptr === 0 ? { err: ENOMEM, ptr: 0 } : { err: 0, ptr };
  }

  /** malloc_usable_size(3): bytes usable at p (0 for NULL or a pointer memcheck does not know). */
  mallocUsableSize(p: number): number {
    const b = this.live.get(p);
    if (!b) return 0;
    if (this.memcheck) return b.size;
    return this.allocator.usableSize(b.real) - (p - b.real);
  }

  /** The live block whose address is `p`, if any. */
  block(p: number): HeapBlock | undefined {
    return this.live.get(p);
  }

  /** Every live block, in allocation order. */
  blocks(): IterableIterator<HeapBlock> {
    return this.live.values();
  }

  /** Totals for the HEAP SUMMARY. */
  usage(): HeapUsage {
    let inUseBytes = 0;
    for (const b of this.live.values()) inUseBytes += b.size;
    return {
      inUseBytes,
      inUseBlocks: this.live.size,
      allocs: this.allocs,
      frees: this.frees,
      bytesAllocated: this.bytesAllocated,
    };
  }

  /**
   * Checks an access of `size` bytes at `addr` under memcheck. Returns the error (also
   * recorded) when some byte is a heap byte the program may not touch, else null.
   * Addresses outside the heap are not memcheck's business here (the MMU's).
   */
  checkAccess(addr: number, size: number, access: "read" | "write", where: Where = []): HeapError | null {
    const mc = this.memcheck;
    if (!mc) return null;
    for (let i = 0; i < size; i++) {
      const a = addr + i;
      if (!mc.addressable(a) && this.isHeapAddress(a)) {
        const e: HeapError = {
          kind: "invalid-access",
          access,
          size,
          addr,
          where,
          about: mc.describe(addr, this.live.values()),
        };
        mc.record(e);
        return e;
      }
    }
    return null;
  }

  /** True when `addr` lies in the brk heap or one of the allocator's mappings. */
  isHeapAddress(addr: number): boolean {
    const a = this.allocator;
    if (addr >= a.heapStart() && addr < a.heapEnd()) return true;
    for (const [m, len] of a.mappings()) if (addr >= m && addr < m + len) return true;
    return false;
  }

  /** Valgrind's leak check over the live blocks, with `roots` as the root set. */
  leakCheck(roots: readonly RootRange[], read64: (addr: number) => number): LeakReport {
    return leakCheck(this.live.values(), roots, read64);
  }

  private allocate(size: number, align: number, where: Where): number {
    const mc = this.memcheck;
    const rz = mc ? mc.redzone : 0;
    const extra = align > 16 ? align : 0;
    if (!Number.isSafeInteger(size) || size < 0) return 0;
    const real = this.allocator.malloc(size + 2 * rz + extra);
    if (real === 0) return 0;
    const p = extra > 0 ? alignAddrUp(real + rz, align) : real + rz;
    this.live.set(p, { addr: p, size, real, allocWhere: where });
    this.allocs++;
    this.bytesAllocated += size;
    mc?.mark(p, size, true);
    return p;
  }

  private release(p: number, where: Where): HeapError | null {
    const b = this.live.get(p);
    if (!b) return this.badFree(p, where, "free(): invalid pointer");
    this.frees++;
    this.live.delete(p);
    const mc = this.memcheck;
    if (!mc) {
      this.allocator.free(b.real);
      return null;
    }
    b.freeWhere = where;
    for (const old of mc.quarantineBlock(b)) this.allocator.free(old.real);
    return null;
  }

  private badFree(p: number, where: Where, glibcMessage: string): HeapError {
    this.frees++;
    const mc = this.memcheck;
    if (!mc) return { kind: "glibc-abort", addr: p, message: glibcMessage };
    const e: HeapError = { kind: "invalid-free", addr: p, where, about: mc.describe(p, this.live.values()) };
    mc.record(e);
    return e;
  }
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}
