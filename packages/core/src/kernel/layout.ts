/**
 * The default process layout, modelled on Linux's on x86-64 (without randomisation):
 *
 * ```
 *  userTop ──────────────  (kernel space above: user access is a SIGSEGV)
 *            [stack]       grows down from stackTop, at most `stackLimit` bytes
 *            guard gap     stack_guard_gap: touching it is a stack overflow
 *  mmapBase ─────────────
 *            mmap area     mmap and shm attach go top-down from here; shared libraries too
 *               ...
 *            [heap]        grows up from heapStart through brk
 *            bss           zero-filled
 *            data          initialised data, read from the image
 *  textStart text          code, read-only + executable, read from the image
 *  0         unmapped      (so a NULL dereference faults)
 * ```
 * Small teaching formats (a few KiB of address space) keep the same order scaled down:
 * text starts at page 1 and the guard gap is one page.
 */

/** What a program image asks for, in bytes (each rounded up to whole pages). */
export interface ImageSizes {
  readonly text: number;
  readonly data: number;
  readonly bss: number;
  /** The stack size limit (RLIMIT_STACK). */
  readonly stack: number;
}

/** Where each part of a new process goes. All addresses page-aligned. */
export interface Layout {
  readonly textStart: number;
  readonly dataStart: number;
  readonly bssStart: number;
  readonly heapStart: number;
  /** One past the highest stack byte; the stack VMA ends here. */
  readonly stackTop: number;
  readonly stackLimit: number;
  readonly guardGap: number;
  /** mmap allocations are placed top-down below this address. */
  readonly mmapBase: number;
  /** The first kernel address: user accesses at or above it are refused. */
  readonly userTop: number;
}

/** The address-space shape a layout is computed for. */
export interface SpaceShape {
  /** User addresses are [0, userTop). */
  readonly userTop: number;
  readonly pageSize: number;
  /** Guard gap in bytes, or undefined for the default (256 pages on big spaces, else 1). */
  readonly guardGap?: number | undefined;
}

/** Rounds `n` up to a multiple of `page`. */
export function pageUp(n: number, page: number): number {
  return Math.ceil(n / page) * page;
}

/** Rounds `n` down to a multiple of `page`. */
export function pageDown(n: number, page: number): number {
  return Math.floor(n / page) * page;
}

/**
 * Computes the layout of a process with these image sizes; a sentence saying why when it
 * does not fit in the address space.
 */
export function computeLayout(shape: SpaceShape, sizes: ImageSizes): Layout | string {
  const page = shape.pageSize;
  const big = shape.userTop >= 2 ** 32;
  const textStart = shape.userTop >= 2 ** 32 ? 0x400000 : shape.userTop >= 2 ** 31 ? 0x08048000 : page;
  const guardGap = shape.guardGap ?? (big ? 256 * page : page);
  const dataStart = textStart + pageUp(sizes.text, page);
  const bssStart = dataStart + pageUp(sizes.data, page);
  const heapStart = bssStart + pageUp(sizes.bss, page);
  // Linux leaves the top page of user space unmapped (stack top 0x7ffffffff000 on x86-64).
  const stackTop = big ? shape.userTop - page : shape.userTop;
  const stackLimit = pageUp(Math.max(sizes.stack, page), page);
  const mmapBase = stackTop - stackLimit - guardGap;
  if (mmapBase <= heapStart) {
    return `the address space (${shape.userTop} bytes of user space) is too small for text, data, bss, a ${stackLimit}-byte stack and its guard gap`;
  }
  return {
    textStart,
    dataStart,
    bssStart,
    heapStart,
    stackTop,
    stackLimit,
    guardGap,
    mmapBase,
    userTop: shape.userTop,
  };
}

/**
 * An address as hex, as a 64-bit machine prints it: canonical upper-half addresses (held
 * as negative numbers) come out as 0xffff8000… rather than 0x-8000….
 */
export function vaHex(va: number): string {
  return va < 0 ? `0x${(BigInt(va) + (1n << 64n)).toString(16)}` : `0x${va.toString(16)}`;
}
