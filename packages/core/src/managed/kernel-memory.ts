/**
 * Python memory inside a simulated process: an `ObjectMemory` over the kernel. pymalloc's
 * arenas are anonymous private mmaps of the process, large objects come from the process's
 * C heap (libc malloc/free), and every pool header or object header pymalloc writes is a
 * write access through the MMU, so pages fault in on first use and the Python heap shows
 * in the process's RSS, /proc/PID/maps and the frame map, as it does for CPython.
 */
import type { Machine } from "../kernel/machine.js";
import { PROT_READ, PROT_WRITE } from "../kernel/vma.js";
import type { ObjectMemory } from "./memory.js";

/** The C heap the large objects come from (the heap package's `Libc` fits). */
export interface CHeap {
  /** malloc(3): an address, or 0 when out of memory. */
  malloc(size: number): number;
  free(p: number): unknown;
}

/** Label of pymalloc's arenas in scenarios and maps. */
export const ARENA_LABEL = "[pymalloc]";

/** `ObjectMemory` of process `pid` on `machine`, with large objects from `cheap`. */
export class KernelObjectMemory implements ObjectMemory {
  private mapped = 0;
  private readonly large = new Map<number, number>();
  private malloced = 0;

  constructor(
    private readonly machine: Machine,
    private readonly pid: number,
    private readonly cheap: CHeap,
  ) {}

  /** An anonymous private read-write mapping of the process (null when the kernel refuses). */
  mapArena(bytes: number): number | null {
    const r = this.machine.mmap(this.pid, {
      length: bytes,
      prot: PROT_READ | PROT_WRITE,
      shared: false,
      at: null,
      label: ARENA_LABEL,
    });
    if (!r.ok) return null;
    this.mapped += bytes;
    return r.value;
  }

  unmapArena(addr: number, bytes: number): void {
    if (this.machine.munmap(this.pid, addr, bytes).ok) this.mapped -= bytes;
  }

  mallocLarge(bytes: number): number | null {
    const p = this.cheap.malloc(bytes);
    if (p === 0) return null;
    this.large.set(p, bytes);
    this.malloced += bytes;
    return p;
  }

  freeLarge(addr: number): void {
    this.malloced -= this.large.get(addr) ?? 0;
    this.large.delete(addr);
    this.cheap.free(addr);
  }

  residentBytes(): number {
    return this.mapped + this.malloced;
  }

  /** A write of the first byte: enough to fault the page in and dirty it. */
  touch(addr: number, _bytes: number): void {
    this.machine.touch(this.pid, addr, "write");
  }
}
