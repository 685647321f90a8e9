/**
 * core/hw: the simulated hardware. Physical memory and the frame table, page-table
 * formats and entry layouts, page tables living in that memory, the TLB and the MMU.
 */
export * from "./entry.js";
export * from "./events.js";
export * from "./format.js";
export * from "./frames.js";
export * from "./hardware.js";
export * from "./inspect.js";
export * from "./memblock.js";
export * from "./memory.js";
export * from "./mmu.js";
export * from "./pagetable.js";
export * from "./pte.js";
export * from "./rights.js";
export * from "./tlb.js";
