/**
 * A simple first-fit frame allocator over the frame table, like Linux's early-boot
 * memblock: it scans for a run of free frames. For tests, demos, benchmarks and tools that
 * run the hardware without a kernel; the kernel proper uses its buddy allocator.
 */
import { asPfn, type Pfn } from "../base/units.js";
import { FRAME_FREE, FRAME_KERNEL, type FrameUse, NO_OWNER } from "./frames.js";
import type { PhysicalMemory } from "./memory.js";
import type { TableAlloc, TableFree } from "./pagetable.js";

export class Memblock {
  private readonly mem: PhysicalMemory;
  private hint = 0;

  constructor(mem: PhysicalMemory) {
    this.mem = mem;
  }

  /**
   * Finds `n` contiguous free frames (first fit, scanning from the last allocation),
   * marks them `use` for `owner` and returns the first, or null when there is no such run.
   */
  alloc(n = 1, use: FrameUse = FRAME_KERNEL, owner: number = NO_OWNER): Pfn | null {
    const frames = this.mem.frameTable;
    const total = frames.count;
    for (let tried = 0, start = this.hint; tried < total; tried++, start = (start + 1) % total) {
      if (start + n > total) continue;
      let run = 0;
      while (run < n && frames.use[start + run] === FRAME_FREE) run++;
      if (run === n) {
        frames.setUse(asPfn(start), use, owner, n);
        this.hint = (start + n) % total;
        return asPfn(start);
      }
    }
    return null;
  }

  /** Returns `n` frames from `pfn` to the free state. */
  free(pfn: Pfn, n = 1): void {
    this.mem.frameTable.release(pfn, n);
  }

  /** Number of free frames. */
  freeFrames(): number {
    return this.mem.frameTable.countUse(FRAME_FREE);
  }

  /** This allocator as the page-table layer's table-frame callback. */
  get tableAlloc(): TableAlloc {
    return (n) => this.alloc(n);
  }

  /** This allocator as the page-table layer's table-free callback. */
  get tableFree(): TableFree {
    return (pfn, n) => this.free(pfn, n);
  }
}
