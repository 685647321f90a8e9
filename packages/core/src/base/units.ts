/**
 * Branded units. A `Pfn` cannot be passed where a `Vpn` is expected, even though both
 * are plain numbers at run time (no boxing, no cost). Addresses are JavaScript numbers:
 * exact up to 2^53, which covers every format memsim models (x86-64 uses 48 bits).
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Virtual page number: a virtual address shifted right by the page shift. */
export type Vpn = Brand<number, "Vpn">;
/** Physical frame number: an index into physical memory's frames and the frame table. */
export type Pfn = Brand<number, "Pfn">;
/** A virtual (linear) address as a process sees it. */
export type VirtAddr = Brand<number, "VirtAddr">;
/** A physical address: pfn * page size + offset. */
export type PhysAddr = Brand<number, "PhysAddr">;
/** Address-space identifier tagging TLB entries. */
export type Asid = Brand<number, "Asid">;
/** Process identifier. */
export type Pid = Brand<number, "Pid">;
/** Index of a slot in a swap area. */
export type SwapSlot = Brand<number, "SwapSlot">;
/** Logical time: one tick per simulated step. Never wall-clock time. */
export type Tick = Brand<number, "Tick">;

export const asVpn = (n: number): Vpn => n as Vpn;
export const asPfn = (n: number): Pfn => n as Pfn;
export const asVirtAddr = (n: number): VirtAddr => n as VirtAddr;
export const asPhysAddr = (n: number): PhysAddr => n as PhysAddr;
export const asAsid = (n: number): Asid => n as Asid;
export const asPid = (n: number): Pid => n as Pid;
export const asSwapSlot = (n: number): SwapSlot => n as SwapSlot;
export const asTick = (n: number): Tick => n as Tick;

/** Formats an address or number as lowercase `0x` hex, as /proc and Valgrind do. */
export function hex(n: number, width = 0): string {
  return "0x" + n.toString(16).padStart(width, "0");
}
