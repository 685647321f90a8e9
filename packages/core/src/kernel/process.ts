/**
 * A process as the memory manager sees it: identity, life state, its address space (page
 * tables + VMAs) and the counters behind /proc/PID/status and the run report.
 */
import type { AddressSpace } from "../hw/pagetable.js";
import type { Layout } from "./layout.js";
import { VmaList } from "./vma.js";

/** Life state: running until exit(2) or a fatal signal. */
export type ProcState = "running" | "exited" | "killed";

/** Fault counts by kind (the report's `faults.*`). */
export interface FaultCounters {
  minor: number;
  major: number;
  cow: number;
  stackGrowth: number;
  segv: number;
}

/** Resident pages by what backs them, and swap entries (VmSwap). */
export interface RssCounters {
  anon: number;
  file: number;
  shmem: number;
  swap: number;
}

export class Process {
  state: ProcState = "running";
  /** The fatal signal (`SIGSEGV`, `SIGKILL`) when killed. */
  signal: string | null = null;
  /** Why the process died, as a sentence (for the report). */
  reason: string | null = null;
  exitCode: number | null = null;
  readonly vmas = new VmaList();
  brk: number;
  readonly faults: FaultCounters = { minor: 0, major: 0, cow: 0, stackGrowth: 0, segv: 0 };
  readonly rss: RssCounters = { anon: 0, file: 0, shmem: 0, swap: 0 };
  /** Peak resident pages (VmHWM). */
  hwm = 0;
  /** Translations requested by this process (one per page an access touches). */
  accesses = 0;
  /** Shared-memory attachments: segment name to attach address. */
  readonly shmAttach = new Map<string, number>();

  constructor(
    readonly pid: number,
    readonly name: string,
    readonly parent: number | null,
    /** Page tables (root frame and ASID); null once the process has exited. */
    public space: AddressSpace | null,
    readonly layout: Layout,
    /** File id of the program image (text and data are read from it). */
    readonly imageText: number,
    readonly imageData: number,
  ) {
    this.brk = layout.heapStart;
  }

  /** Resident pages (VmRSS). */
  rssPages(): number {
    return this.rss.anon + this.rss.file + this.rss.shmem;
  }

  /** Total size of the address space in bytes (VmSize). */
  vmSize(): number {
    let n = 0;
    for (const v of this.vmas.all()) n += v.end - v.start;
    return n;
  }

  isRunning(): boolean {
    return this.state === "running";
  }
}
