/**
 * The `HeapAllocator` interface every policy implements, the options they share, and the
 * statistics they keep. The libc front (`Libc`) builds calloc, realloc, aligned allocation
 * and checking on top of these few operations.
 */
import type { EventSink } from "../base/events.js";
import type { HeapBacking } from "./backing.js";
import type { HeapEvent } from "./events.js";

/** Creation parameters shared by every allocator; policy knobs are named fields. */
export interface HeapOptions {
  /**
   * Requests of at least this many bytes get their own mapping and are unmapped on free
   * (glibc's M_MMAP_THRESHOLD, 128 KiB by default). `Infinity` turns mmap off.
   */
  readonly mmapThreshold?: number;
  /**
   * When the free space at the top of the heap reaches this many bytes it is given back
   * with a negative sbrk (glibc's M_TRIM_THRESHOLD, 128 KiB by default).
   */
  readonly trimThreshold?: number;
  /** Free-list order for the explicit-list policies: by address, or last-in first-out. */
  readonly order?: "address" | "lifo";
  /** Merge a freed block with free neighbours at once (default). Off: never merge. */
  readonly coalesce?: boolean;
}

export const DEFAULT_MMAP_THRESHOLD = 128 * 1024;
export const DEFAULT_TRIM_THRESHOLD = 128 * 1024;

/** Counters every allocator keeps; all are totals since creation. */
export interface HeapStats {
  mallocs: number;
  frees: number;
  /** Free blocks (or lists) examined while looking for a fit, over all mallocs. */
  searchSteps: number;
  /** Blocks split in two / merged with a neighbour. */
  splits: number;
  coalesces: number;
  sbrkCalls: number;
  mmapCalls: number;
  munmapCalls: number;
  /** Mallocs that found no memory (returned 0). */
  failures: number;
}

export function emptyHeapStats(): HeapStats {
  return {
    mallocs: 0,
    frees: 0,
    searchSteps: 0,
    splits: 0,
    coalesces: 0,
    sbrkCalls: 0,
    mmapCalls: 0,
    munmapCalls: 0,
    failures: 0,
  };
}

/** One block as the heap walker found it, in address order. */
export interface WalkedBlock {
  /** The block's first byte (its header or padding before it). */
  readonly addr: number;
  /** The address malloc returned / would return for this block. */
  readonly payload: number;
  /** Whole block size in bytes, header included. */
  readonly size: number;
  readonly free: boolean;
  readonly mmapped: boolean;
}

/** The heap walker's verdict: every block, and each broken invariant in a sentence. */
export interface HeapWalk {
  readonly blocks: readonly WalkedBlock[];
  readonly problems: readonly string[];
  /** Bytes in free blocks of the brk heap. */
  readonly freeBytes: number;
  readonly freeBlocks: number;
}

/**
 * A malloc implementation over a `HeapBacking`.
 *
 * Contract: `malloc(n)` returns a 16-byte aligned payload address of at least `n` usable
 * bytes that overlaps no other live block, or 0 when memory is exhausted (n = 0 gives a
 * minimum block, like glibc). `free(p)` and `resize(p, n)` require `p` to be a live payload
 * returned by this allocator: the allocator trusts its callers (the libc front and
 * memcheck do the checking), as a real malloc does.
 */
export interface HeapAllocator {
  /** Registry name, e.g. "first-fit", "tlsf". */
  readonly name: string;
  readonly backing: HeapBacking;
  readonly stats: HeapStats;
  /** Attach to receive split, coalesce, sbrk, mmap and munmap events (none when undefined). */
  sink: EventSink<HeapEvent> | undefined;
  malloc(size: number): number;
  free(addr: number): void;
  /**
   * Grows or shrinks the live block at `addr` in place to hold `size` bytes. Returns false
   * (block unchanged) when it cannot without moving.
   */
  resize(addr: number, size: number): boolean;
  /** Bytes the block at `addr` can hold (at least what was asked for). */
  usableSize(addr: number): number;
  /** True when the block at `addr` is an mmapped one. */
  isMmapped(addr: number): boolean;
  /** Bytes the allocator holds from the system: heap (break minus start) plus mappings. */
  footprint(): number;
  /** The start of the brk heap and the current break. */
  heapStart(): number;
  heapEnd(): number;
  /** The live mappings made for large blocks, as [address, length] pairs. */
  mappings(): readonly (readonly [number, number])[];
  /** Checks every invariant of the heap and lists its blocks (no side effects). */
  walk(): HeapWalk;
}

/** Rounds `n` up to a multiple of `unit` (a power of two), for sizes below 2^31. */
export function alignUp(n: number, unit: number): number {
  return (n + unit - 1) & ~(unit - 1);
}

/** Rounds a possibly large address up to a multiple of `unit` (any positive integer). */
export function alignAddrUp(addr: number, unit: number): number {
  const r = addr % unit;
  return r === 0 ? addr : addr + unit - r;
}
