/**
 * core/kernel: the OS memory manager. Frame allocators, processes and their address
 * spaces, demand paging, swap, COW fork, shared memory and libraries, mmap/brk, the OOM
 * killer, /proc views, an invariant checker, and the `Machine` tying hardware and kernel.
 */
export * from "./config.js";
export * from "./events.js";
export { SEGV_TEXT } from "./fault.js";
export * from "./frame-allocator.js";
export * from "./layout.js";
export type { SysResult } from "./lifecycle.js";
export * from "./machine.js";
export type { MmapRequest } from "./mm.js";
export * from "./narrate.js";
export type { FaultCounters, ProcState, RssCounters } from "./process.js";
export { Process } from "./process.js";
export * from "./procfs.js";
export * from "./report.js";
export { SwapSpace } from "./swap.js";
export * from "./vma.js";
