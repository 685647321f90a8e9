/**
 * core/heap: the C runtime. Allocator policies over simulated bytes (`createAllocator`),
 * the libc front (`Libc`), memcheck and Valgrind's leak check, the replay of real
 * allocation logs, and the `.msim` heap commands (registered on import).
 */
export {
  detectMallocLogFormat,
  type MallocLogFormat,
  type MallocLogParser,
  mallocLogParser,
} from "../trace/malloc-log.js";
export {
  type MallocTrace,
  MallocTraceBuilder,
  MOP_CALLOC,
  MOP_FAILED,
  MOP_FREE,
  MOP_MALLOC,
  MOP_MEMALIGN,
  MOP_REALLOC,
  MOP_USABLE,
} from "../trace/malloc-trace.js";
export { ValgrindMallocParser } from "../trace/malloc-valgrind.js";
export { MtraceParser } from "../trace/mtrace.js";
export {
  DEFAULT_MMAP_THRESHOLD,
  DEFAULT_TRIM_THRESHOLD,
  type HeapAllocator,
  type HeapOptions,
  type HeapStats,
  type HeapWalk,
  type WalkedBlock,
} from "./allocator.js";
export {
  ARENA_HEAP_BASE,
  ARENA_MMAP_TOP,
  ArenaBacking,
  type ArenaOptions,
  type HeapBacking,
} from "./backing.js";
export { BestFitHeap } from "./best-fit.js";
export { blockSizeFor } from "./boundary-tag.js";
export { BuddyHeap, buddyOrderFor } from "./buddy.js";
export type { HeapEvent } from "./events.js";
export { FirstFitHeap } from "./first-fit.js";
export { type Fragmentation, FragmentationMeter } from "./fragmentation.js";
export { KernelHeapBacking } from "./kernel-backing.js";
export {
  type LeakReport,
  type LeakState,
  type LeakTotals,
  type LossRecord,
  leakCheck,
  type RootRange,
} from "./leakcheck.js";
export { EINVAL, ENOMEM, Libc, type LibcOptions } from "./libc.js";
export {
  type AddrDescription,
  type HeapBlock,
  type HeapError,
  Memcheck,
  type MemcheckOptions,
  type Where,
} from "./memcheck.js";
export {
  errorLines,
  errorSummaryLine,
  type HeapUsage,
  type LeakFormatOptions,
  leakLines,
  prefixLines,
  withCommas,
} from "./memcheck-format.js";
export { NextFitHeap } from "./next-fit.js";
export { type PointerVar, ProcessHeap, type ProcessHeapOptions } from "./process-heap.js";
export { createAllocator, HEAP_POLICIES } from "./registry.js";
export { type ReplayOptions, type ReplayResult, replayMallocTrace } from "./replay.js";
export { registerHeapVerbs } from "./scenario-commands.js";
export { SegregatedFitHeap } from "./segregated.js";
export { TlsfHeap, tlsfIndex, tlsfSearchIndex } from "./tlsf.js";
export { WorstFitHeap } from "./worst-fit.js";
