/**
 * What every allocator shares: the mmap path for large requests, the counters, the event
 * sink, and the public `HeapAllocator` entry points that dispatch to the brk-heap part a
 * policy implements.
 *
 * Every block, in any policy, has a 32-bit flag word just below the payload (the low half
 * of the boundary-tag policies' 4-byte header, the high half of the buddy system's 8-byte
 * one), so that free and resize can tell an mmapped block from a heap block:
 *
 *        payload - 4          payload (16-byte aligned)
 *        +--------------------+--------------------------...
 *        | ... MMAPPED|PREV|USED |  user bytes
 *        +--------------------+--------------------------...
 *
 * Sizes are multiples of 16, so the low four bits carry flags. An mmapped block is its
 * own mapping: its length as an 8-byte word at map+0, the flag word (IN_USE | MMAPPED) at
 * map+12, payload at map+16.
 */
import type { EventSink } from "../base/events.js";
import {
  alignAddrUp,
  DEFAULT_MMAP_THRESHOLD,
  DEFAULT_TRIM_THRESHOLD,
  emptyHeapStats,
  type HeapAllocator,
  type HeapOptions,
  type HeapStats,
  type HeapWalk,
  type WalkedBlock,
} from "./allocator.js";
import type { HeapBacking } from "./backing.js";
import type { HeapEvent } from "./events.js";

export const IN_USE = 1;
export const PREV_IN_USE = 2;
export const MMAPPED = 4;
export const FLAG_MASK = 15;
/** The largest request served from the brk heap (bigger ones need mmap). */
export const MAX_HEAP_REQUEST = 2 ** 30;
/** The largest request accepted at all. */
export const MAX_REQUEST = 2 ** 46;

export abstract class HeapCore implements HeapAllocator {
  abstract readonly name: string;
  readonly stats: HeapStats = emptyHeapStats();
  readonly backing: HeapBacking;
  /** Receives split, coalesce, sbrk and mmap events when attached. */
  sink: EventSink<HeapEvent> | undefined;
  protected readonly m: HeapBacking;
  protected readonly mmapThreshold: number;
  protected readonly trimThreshold: number;
  protected readonly page: number;
  private readonly maps = new Map<number, number>();
  private mappedBytes = 0;

  constructor(backing: HeapBacking, opts: HeapOptions) {
    this.backing = backing;
    this.m = backing;
    this.mmapThreshold = opts.mmapThreshold ?? DEFAULT_MMAP_THRESHOLD;
    this.trimThreshold = opts.trimThreshold ?? DEFAULT_TRIM_THRESHOLD;
    this.page = backing.pageSize;
  }

  malloc(size: number): number {
    this.stats.mallocs++;
    let p = 0;
    if (size >= 0 && size <= MAX_REQUEST) {
      if (size >= this.mmapThreshold || size > MAX_HEAP_REQUEST) p = this.mmapAlloc(size);
      if (p === 0 && size <= MAX_HEAP_REQUEST) p = this.heapAlloc(size);
    }
    if (p === 0) this.stats.failures++;
    return p;
  }

  free(addr: number): void {
    this.stats.frees++;
    if ((this.m.read32(addr - 4) & MMAPPED) !== 0) this.mmapFree(addr);
    else this.heapFree(addr);
  }

  resize(addr: number, size: number): boolean {
    if (size < 0 || size > MAX_HEAP_REQUEST) return false;
    if ((this.m.read32(addr - 4) & MMAPPED) !== 0) return size <= this.usableSize(addr);
    return this.heapResize(addr, size);
  }

  usableSize(addr: number): number {
    if ((this.m.read32(addr - 4) & MMAPPED) !== 0) return this.m.read64(addr - 16) - 16;
    return this.heapUsable(addr);
  }

  isMmapped(addr: number): boolean {
    return this.maps.has(addr);
  }

  footprint(): number {
    return this.heapEnd() - this.heapStart() + this.mappedBytes;
  }

  mappings(): readonly (readonly [number, number])[] {
    return [...this.maps].map(([p, len]) => [p - 16, len] as const);
  }

  walk(): HeapWalk {
    const problems: string[] = [];
    const blocks: WalkedBlock[] = [];
    let freeBytes = 0;
    let freeBlocks = 0;
    for (const b of this.walkHeap(problems)) {
      blocks.push(b);
      if (b.free) {
        freeBytes += b.size;
        freeBlocks++;
      }
    }
    for (const [p, len] of this.maps) {
      const h = this.m.read32(p - 4);
      const stored = this.m.read64(p - 16);
      if (stored !== len || (h & FLAG_MASK) !== (IN_USE | MMAPPED))
        problems.push(
          `mmapped block at ${hexAddr(p - 16)}: length ${hexAddr(stored)}, flags ${hexAddr(h)} do not match its mapping`,
        );
      blocks.push({ addr: p - 16, payload: p, size: len, free: false, mmapped: true });
    }
    return { blocks, problems, freeBytes, freeBlocks };
  }

  /** Serves a large request with its own mapping; 0 when mmap fails. */
  private mmapAlloc(size: number): number {
    const len = alignAddrUp(size + 16, this.page);
    const a = this.m.mmap(len);
    this.stats.mmapCalls++;
    if (a < 0) return 0;
    this.m.write64(a, len);
    this.m.write32(a + 12, IN_USE | MMAPPED);
    this.maps.set(a + 16, len);
    this.mappedBytes += len;
    this.sink?.emit({ kind: "heap-mmap", addr: a, len });
    return a + 16;
  }

  private mmapFree(addr: number): void {
    const len = this.maps.get(addr) ?? 0;
    this.maps.delete(addr);
    this.mappedBytes -= len;
    this.stats.munmapCalls++;
    this.m.munmap(addr - 16, len);
    this.sink?.emit({ kind: "heap-munmap", addr: addr - 16, len });
  }

  /** Moves the break; returns the old break or -1, counting and reporting the call. */
  protected sbrk(delta: number): number {
    this.stats.sbrkCalls++;
    const old = this.m.sbrk(delta);
    if (old >= 0 && delta !== 0) this.sink?.emit({ kind: "heap-sbrk", delta, brk: old + delta });
    return old;
  }

  abstract heapStart(): number;
  abstract heapEnd(): number;
  /** Serves a request from the brk heap; 0 when the heap cannot grow. */
  protected abstract heapAlloc(size: number): number;
  protected abstract heapFree(addr: number): void;
  protected abstract heapResize(addr: number, size: number): boolean;
  protected abstract heapUsable(addr: number): number;
  /** The brk heap's blocks in address order, appending each broken invariant to `problems`. */
  protected abstract walkHeap(problems: string[]): Iterable<WalkedBlock>;
}

export function hexAddr(n: number): string {
  return "0x" + n.toString(16);
}
